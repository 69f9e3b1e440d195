package httpx

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// sameWindow is how far apart two reset times may lie and still name the
// same quota window (hosts round them, and answers arrive out of order).
const sameWindow = 2 * time.Minute

// Budget is the request budget of one host and credential for one run,
// shared by every Client of that host and credential: a semaphore bounds
// the requests in flight, the remaining primary quota is read from the
// rate-limit headers of every answer, and Reserve books the cost of a
// collection before it starts so that a fleet audits what fits and defers
// the rest. Safe for concurrent use.
type Budget struct {
	sem chan struct{} // nil: unbounded

	mu        sync.Mutex
	now       func() time.Time
	remaining int // -1 while unknown
	limit     int
	reset     time.Time
	reserved  int // booked and not yet spent
}

// NewBudget returns a budget allowing concurrency requests in flight (0 or
// less: unbounded) whose remaining quota is unknown until the first answer.
// now is the clock (nil: time.Now).
func NewBudget(concurrency int, now func() time.Time) *Budget {
	if now == nil {
		now = time.Now
	}
	b := &Budget{now: now, remaining: -1}
	if concurrency > 0 {
		b.sem = make(chan struct{}, concurrency)
	}
	return b
}

// acquire waits for a free slot, honouring ctx.
func (b *Budget) acquire(ctx context.Context) error {
	if b == nil || b.sem == nil {
		return nil
	}
	select {
	case b.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (b *Budget) release() {
	if b != nil && b.sem != nil {
		<-b.sem
	}
}

// observe takes the quota an answer reports. Answers of another resource
// than the primary REST quota (GitHub's "graphql", "search"…) are left out;
// within one quota window the lowest remaining count wins, since answers
// arrive out of order. An answer without quota headers spends one request
// of a known quota.
func (b *Budget) observe(h http.Header, dialect Dialect, counted bool) {
	if b == nil {
		return
	}
	if r := strings.ToLower(h.Get("X-RateLimit-Resource")); r != "" && r != "core" {
		return
	}
	rem, reset, limitH, _ := quota(h, dialect)
	b.mu.Lock()
	defer b.mu.Unlock()
	if rem < 0 {
		if counted && b.remaining > 0 {
			b.remaining--
		}
		return
	}
	if l, err := strconv.Atoi(strings.TrimSpace(h.Get(limitH))); err == nil && l > 0 {
		b.limit = l
	}
	switch {
	case b.remaining < 0 || reset.IsZero() || b.reset.IsZero() || reset.After(b.reset.Add(sameWindow)):
		b.remaining, b.reset = rem, reset
	case reset.Before(b.reset.Add(-sameWindow)):
		// an answer from an earlier window, overtaken
	default:
		b.remaining = min(b.remaining, rem)
	}
}

// Remaining returns the quota left as the last answers reported it and when
// it renews; known is false before any answer or after the reset passed.
func (b *Budget) Remaining() (n int, reset time.Time, known bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.remainingLocked()
}

func (b *Budget) remainingLocked() (int, time.Time, bool) {
	if b.remaining < 0 || (!b.reset.IsZero() && !b.now().Before(b.reset)) {
		return 0, time.Time{}, false
	}
	return b.remaining, b.reset, true
}

// InsufficientBudgetError says a collection's estimated cost does not fit
// what is left of the host's quota; the target is deferred, not failed.
type InsufficientBudgetError struct {
	Host      string
	Need      int // estimated counted requests
	Available int // remaining quota less the other collections' bookings
	Reset     time.Time
}

func (e *InsufficientBudgetError) Error() string {
	s := fmt.Sprintf("the request budget of %s has %d requests left and this audit needs about %d", e.Host, e.Available, e.Need)
	if !e.Reset.IsZero() {
		s += "; it renews at " + e.Reset.UTC().Format(time.RFC3339)
	}
	return s
}

// Reservation is a booking of requests against a Budget; the requests its
// Client makes spend it, Release returns what is left.
type Reservation struct {
	b    *Budget
	left int // booked and not yet spent; guarded by b.mu
	done bool
}

// Reserve books n counted requests. While the remaining quota is unknown
// (no answer yet, or its reset passed) every booking fits; otherwise a
// booking that exceeds the quota less the other open bookings fails with
// *InsufficientBudgetError. A nil Budget books nothing and always fits.
func (b *Budget) Reserve(n int, host string) (*Reservation, error) {
	if b == nil {
		return nil, nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if rem, reset, known := b.remainingLocked(); known {
		if avail := rem - b.reserved; n > avail {
			return nil, &InsufficientBudgetError{Host: host, Need: n, Available: max(avail, 0), Reset: reset}
		}
	}
	n = max(n, 0)
	b.reserved += n
	return &Reservation{b: b, left: n}, nil
}

// spend takes one counted request off the booking.
func (r *Reservation) spend() {
	if r == nil {
		return
	}
	r.b.mu.Lock()
	defer r.b.mu.Unlock()
	if !r.done && r.left > 0 {
		r.left--
		r.b.reserved--
	}
}

// Release returns the unspent part of the booking; later calls do nothing.
func (r *Reservation) Release() {
	if r == nil {
		return
	}
	r.b.mu.Lock()
	defer r.b.mu.Unlock()
	if !r.done {
		r.b.reserved -= r.left
		r.left, r.done = 0, true
	}
}

// Budgets hands out the Budget of each host and credential of one run, so
// that every target of a fleet shares it. Safe for concurrent use.
type Budgets struct {
	// Concurrency bounds the requests in flight per host and credential
	// (0: unbounded).
	Concurrency int
	// Now is the clock of the budgets (nil: time.Now).
	Now func() time.Time

	mu   sync.Mutex
	m    map[string]*Budget
	next map[string]int
}

// For returns the budget of origin (scheme, host and port count) and the
// credential (a token; only a hash of it is kept as the key).
func (bs *Budgets) For(origin *url.URL, credential string) *Budget {
	if bs == nil {
		return nil
	}
	bs.mu.Lock()
	defer bs.mu.Unlock()
	return bs.forLocked(budgetKey(origin, credential))
}

func (bs *Budgets) forLocked(key string) *Budget {
	if bs.m == nil {
		bs.m = map[string]*Budget{}
	}
	b, ok := bs.m[key]
	if !ok {
		b = NewBudget(bs.Concurrency, bs.Now)
		bs.m[key] = b
	}
	return b
}

// Pick chooses one of several credentials of origin for the next
// collection: the one with the most quota left after its bookings, an
// unknown quota counting as the most; ties go round-robin. It returns the
// index into credentials and that credential's budget.
func (bs *Budgets) Pick(origin *url.URL, credentials []string) (int, *Budget) {
	if bs == nil || len(credentials) == 0 {
		return 0, nil
	}
	bs.mu.Lock()
	defer bs.mu.Unlock()
	if bs.next == nil {
		bs.next = map[string]int{}
	}
	s, hp := originOf(origin)
	okey := s + "://" + hp
	start := bs.next[okey]
	best, bestAvail := -1, 0
	for k := range credentials {
		i := (start + k) % len(credentials)
		b := bs.forLocked(budgetKey(origin, credentials[i]))
		b.mu.Lock()
		rem, _, known := b.remainingLocked()
		avail := int(^uint(0) >> 1)
		if known {
			avail = rem - b.reserved
		}
		b.mu.Unlock()
		if best < 0 || avail > bestAvail {
			best, bestAvail = i, avail
		}
	}
	bs.next[okey] = (best + 1) % len(credentials)
	return best, bs.forLocked(budgetKey(origin, credentials[best]))
}

func budgetKey(origin *url.URL, credential string) string {
	s, hp := "", ""
	if origin != nil {
		s, hp = originOf(origin)
	}
	sum := sha256.Sum256([]byte(credential))
	return s + "://" + hp + "#" + hex.EncodeToString(sum[:8])
}

// Fresh reports a state that holds no watermark and no record: the next
// collection of its repository is a first (full) one.
func (s *State) Fresh() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.Endpoints) == 0 && len(s.Blobs) == 0
}
