package model

import (
	"encoding/json"
	"time"
)

// RefKind names what an evidence reference points at.
type RefKind string

// Evidence reference kinds.
const (
	RefCommit     RefKind = "commit"
	RefFile       RefKind = "file"
	RefTag        RefKind = "tag"
	RefBranch     RefKind = "branch"
	RefChange     RefKind = "change"
	RefRun        RefKind = "run"
	RefJob        RefKind = "job"
	RefDeployment RefKind = "deployment"
	RefRelease    RefKind = "release"
	RefSetting    RefKind = "setting"
	RefURL        RefKind = "url"
	RefMeasure    RefKind = "measurement"
)

// Ref is an evidence reference: a commit hash, a file path, a URL…
type Ref struct {
	Kind RefKind `json:"kind"`
	Ref  string  `json:"ref"`
	URL  string  `json:"url,omitempty"`
}

// Measurement is one figure derived from evidence. Unknown measurements carry
// no value and say why.
type Measurement struct {
	ID       string  `json:"-"`
	Value    float64 `json:"-"`
	Known    bool    `json:"-"`
	Unit     string  `json:"unit"`
	N        int     `json:"n"`
	Note     string  `json:"note,omitempty"`
	Evidence []Ref   `json:"evidence,omitempty"`
}

type measurementJSON struct {
	Value    *float64 `json:"value"`
	Unit     string   `json:"unit"`
	N        int      `json:"n"`
	Note     string   `json:"note,omitempty"`
	Evidence []Ref    `json:"evidence,omitempty"`
}

// MarshalJSON writes value null for an unknown measurement.
func (m Measurement) MarshalJSON() ([]byte, error) {
	j := measurementJSON{Unit: m.Unit, N: m.N, Note: m.Note, Evidence: m.Evidence}
	if m.Known {
		v := m.Value
		j.Value = &v
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads what MarshalJSON writes.
func (m *Measurement) UnmarshalJSON(b []byte) error {
	var j measurementJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*m = Measurement{Unit: j.Unit, N: j.N, Note: j.Note, Evidence: j.Evidence}
	if j.Value != nil {
		m.Value, m.Known = *j.Value, true
	}
	return nil
}

// Measurements maps measurement ids to measurements.
type Measurements map[string]Measurement

// Get returns a measurement's value and whether it is known.
func (ms Measurements) Get(id MeasurementID) (float64, bool) {
	m, ok := ms[string(id)]
	if !ok || !m.Known {
		return 0, false
	}
	return m.Value, true
}

// Set stores a known measurement; its unit is the catalogue's.
func (ms Measurements) Set(id MeasurementID, v float64, n int, refs ...Ref) {
	ms[string(id)] = Measurement{ID: string(id), Value: v, Known: true, Unit: id.Unit(), N: n, Evidence: refs}
}

// SetUnknown stores an unknown measurement with the reason; its unit is the
// catalogue's.
func (ms Measurements) SetUnknown(id MeasurementID, why string) {
	ms[string(id)] = Measurement{ID: string(id), Unit: id.Unit(), Note: why}
}

// Basis says where a level comes from.
type Basis string

// Bases.
const (
	BasisMeasured Basis = "measured"
	BasisAttested Basis = "attested"
	BasisUnknown  Basis = "unknown"
)

// Attestation is a person's signed statement of a level no machine can see.
type Attestation struct {
	Practice  string    `json:"practice" yaml:"practice"`
	Dimension string    `json:"dimension" yaml:"dimension"`
	Level     int       `json:"level" yaml:"level"`
	By        string    `json:"by" yaml:"by"`
	Date      time.Time `json:"date" yaml:"date"`
	Expires   time.Time `json:"expires" yaml:"expires"`
	Evidence  string    `json:"evidence" yaml:"evidence"`
	Target    string    `json:"target,omitempty" yaml:"target,omitempty"`
	// Unverified is set for an attestation no signature vouches for (the
	// config's plain `attestations:`); it raises no level unless unsigned
	// attestations are allowed. Signed ones name the key and the file.
	Unverified bool   `json:"unverified,omitempty" yaml:"-"`
	Key        string `json:"key,omitempty" yaml:"-"`
	File       string `json:"file,omitempty" yaml:"-"`
}

// Signer is who made the attestation, for reports: "jane@example.com
// (SSH-signed)" or "jane@example.com (unverified)".
func (a Attestation) Signer() string {
	switch {
	case a.Unverified:
		return a.By + " (unverified)"
	case a.Key != "":
		return a.By + " (SSH-signed)"
	}
	return a.By
}

// DimensionResult is the judged level of one dimension.
type DimensionResult struct {
	ID string `json:"id"`
	// Level is the effective level: the measured one, or the attested one
	// when an attestation raises it; nil when unknown.
	Level *int  `json:"level"`
	Basis Basis `json:"basis"`
	// MeasuredLevel is what evidence alone proves (nil when unknown);
	// LowerBound is the level proven so far when the next level could not be
	// judged for want of evidence.
	MeasuredLevel *int `json:"measured_level"`
	LowerBound    *int `json:"level_lower_bound,omitempty"`
	AutomaticMax  int  `json:"automatic_max"`
	// NeedsAttestation is set when the measured level reached AutomaticMax
	// below 5: only an attestation can show more.
	NeedsAttestation bool         `json:"needs_attestation,omitempty"`
	Reasons          []string     `json:"reasons"`
	Evidence         []Ref        `json:"evidence"`
	Attestation      *Attestation `json:"attestation,omitempty"`
	// HeldBack names what keeps the dimension from the next level.
	HeldBack string `json:"held_back,omitempty"`
}

// PracticeResult is the judged level of one practice.
type PracticeResult struct {
	ID string `json:"id"`
	// Level is the lowest dimension level when all are known, else nil;
	// UpperBound is then the lowest known one.
	Level      *int              `json:"level"`
	UpperBound *int              `json:"level_upper_bound"`
	Dimensions []DimensionResult `json:"dimensions"`
}

// SourceStatus records how one collector fared.
type SourceStatus struct {
	Kind     string        `json:"kind"` // git, github, gitlab
	Name     string        `json:"name,omitempty"`
	Status   string        `json:"status"` // ok, partial, failed
	Error    string        `json:"error,omitempty"`
	Duration float64       `json:"duration_seconds"`
	Warnings []string      `json:"warnings,omitempty"`
	Requests *RequestStats `json:"requests,omitempty"`
}

// Source statuses.
const (
	StatusOK      = "ok"
	StatusPartial = "partial"
	StatusFailed  = "failed"
)

// RequestStats counts API requests by outcome.
type RequestStats struct {
	Total       int `json:"total"`
	Counted     int `json:"counted"`      // requests that count against the host's rate limit
	NotModified int `json:"not_modified"` // 304s answered from the cache
	CacheHits   int `json:"cache_hits"`   // served from cache without a request
	Errors      int `json:"errors"`
	Retries     int `json:"retries"`
	RateLimited int `json:"rate_limited"`
}

// DORA holds the four keys and their DORA 2023 performance clusters.
type DORA struct {
	DeploymentFrequency DORAKey `json:"deployment_frequency"`
	LeadTime            DORAKey `json:"lead_time_for_changes"`
	ChangeFailureRate   DORAKey `json:"change_failure_rate"`
	RecoveryTime        DORAKey `json:"failed_deployment_recovery_time"`
}

// DORAKey is one key: its measurement id, value and cluster (elite, high,
// medium, low, or "" when unknown).
type DORAKey struct {
	Measurement string   `json:"measurement"`
	Value       *float64 `json:"value"`
	Unit        string   `json:"unit"`
	Cluster     string   `json:"cluster"`
	Note        string   `json:"note,omitempty"`
}

// TargetResult is the audit of one target.
type TargetResult struct {
	Name          string            `json:"name"`
	Identity      *Identity         `json:"identity,omitempty"` // what the target is; Name is a label
	Labels        map[string]string `json:"labels,omitempty"`
	DefaultBranch string            `json:"default_branch,omitempty"`
	// Trunk is trunk as of the window's end (a local clone): the tree and
	// CI configuration were read there.
	Trunk        *TrunkAt         `json:"trunk,omitempty"`
	Sources      []SourceStatus   `json:"sources"`
	Measurements Measurements     `json:"measurements"`
	Practices    []PracticeResult `json:"practices"`
	// EvidenceLevel is the level evidence alone proves over the dimensions
	// evidence can judge (EvidenceLevelOf); reports show it beside the
	// model-wide practice level.
	EvidenceLevel *EvidenceLevel `json:"evidence_level,omitempty"`
	DORA          *DORA          `json:"dora,omitempty"`
	Warnings      []string       `json:"warnings,omitempty"`
	Error         string         `json:"error,omitempty"`
	// Status is TargetDeferred when the target was not audited this run
	// (Deferred says why); "" otherwise (Error tells a failed target).
	Status   string `json:"status,omitempty"`
	Deferred string `json:"deferred,omitempty"`
}

// ReportSchema is the JSON report's schema id.
const ReportSchema = "cdaudit.report/v1"

// Report is a whole audit.
type Report struct {
	Schema      string         `json:"schema"`
	Version     string         `json:"cdaudit_version,omitempty"`
	Catalogue   string         `json:"catalogue_version,omitempty"` // CatalogueVersion the levels were judged on
	GeneratedAt time.Time      `json:"generated_at"`
	Window      Window         `json:"window"`
	Targets     []TargetResult `json:"targets"`
}

// IntPtr returns a pointer to v.
func IntPtr(v int) *int { return &v }
