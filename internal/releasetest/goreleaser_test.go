package releasetest

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"
)

// root is the repository root.
const root = "../.."

func readYAML(t *testing.T, rel string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, rel))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
}

type goreleaser struct {
	Version int `yaml:"version"`
	Builds  []struct {
		ID      string   `yaml:"id"`
		Main    string   `yaml:"main"`
		Binary  string   `yaml:"binary"`
		Env     []string `yaml:"env"`
		Flags   []string `yaml:"flags"`
		Ldflags []string `yaml:"ldflags"`
		Goos    []string `yaml:"goos"`
		Goarch  []string `yaml:"goarch"`
		Ignore  []any    `yaml:"ignore"`
	} `yaml:"builds"`
	Archives []struct {
		NameTemplate    string   `yaml:"name_template"`
		Formats         []string `yaml:"formats"`
		FormatOverrides []struct {
			Goos    string   `yaml:"goos"`
			Formats []string `yaml:"formats"`
		} `yaml:"format_overrides"`
	} `yaml:"archives"`
	Checksum struct {
		NameTemplate string `yaml:"name_template"`
		Algorithm    string `yaml:"algorithm"`
	} `yaml:"checksum"`
	Sboms []struct {
		Artifacts string `yaml:"artifacts"`
	} `yaml:"sboms"`
	Dockers []struct {
		Goos           string   `yaml:"goos"`
		Goarch         string   `yaml:"goarch"`
		Dockerfile     string   `yaml:"dockerfile"`
		ImageTemplates []string `yaml:"image_templates"`
	} `yaml:"dockers"`
	DockerManifests []struct {
		NameTemplate string `yaml:"name_template"`
	} `yaml:"docker_manifests"`
	Kos []any `yaml:"kos"`
}

func TestGoReleaserConfig(t *testing.T) {
	var g goreleaser
	readYAML(t, ".goreleaser.yaml", &g)
	if g.Version != 2 {
		t.Errorf("version %d, want 2 (GoReleaser v2 schema)", g.Version)
	}
	if len(g.Builds) != 1 {
		t.Fatalf("%d builds, want 1", len(g.Builds))
	}
	b := g.Builds[0]
	if b.Main != "./cmd/cdaudit" || b.Binary != "cdaudit" {
		t.Errorf("build main %q binary %q", b.Main, b.Binary)
	}
	if !slices.Contains(b.Env, "CGO_ENABLED=0") {
		t.Errorf("build env %q: static binaries need CGO_ENABLED=0", b.Env)
	}
	if !slices.Contains(b.Flags, "-trimpath") {
		t.Errorf("build flags %q lack -trimpath", b.Flags)
	}
	if !strings.Contains(strings.Join(b.Ldflags, " "), "-X main.version={{ .Version }}") {
		t.Errorf("ldflags %q do not stamp main.version", b.Ldflags)
	}
	if d := cmp.Diff([]string{"linux", "darwin", "windows"}, b.Goos); d != "" {
		t.Errorf("goos (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"amd64", "arm64"}, b.Goarch); d != "" {
		t.Errorf("goarch (-want +got):\n%s", d)
	}
	if len(b.Ignore) > 0 {
		t.Errorf("build ignores targets: %v", b.Ignore)
	}
	// main.version must exist for the -X flag to take.
	if m, _ := os.ReadFile(filepath.Join(root, "cmd/cdaudit/main.go")); !strings.Contains(string(m), "var version = ") {
		t.Error("cmd/cdaudit/main.go has no `var version`")
	}
	if len(g.Archives) != 1 || g.Archives[0].NameTemplate != "cdaudit_{{ .Version }}_{{ .Os }}_{{ .Arch }}" {
		t.Errorf("archives %+v: the action downloads cdaudit_VERSION_OS_ARCH", g.Archives)
	} else if a := g.Archives[0]; !slices.Equal(a.Formats, []string{"tar.gz"}) || len(a.FormatOverrides) != 1 ||
		a.FormatOverrides[0].Goos != "windows" || !slices.Equal(a.FormatOverrides[0].Formats, []string{"zip"}) {
		t.Errorf("archive formats %+v: want tar.gz, zip on windows", a)
	}
	if g.Checksum.NameTemplate != "checksums.txt" || g.Checksum.Algorithm != "sha256" {
		t.Errorf("checksum %+v: the action verifies checksums.txt with sha256", g.Checksum)
	}
	if len(g.Sboms) == 0 || g.Sboms[0].Artifacts != "archive" {
		t.Errorf("sboms %+v: want an SBOM per archive", g.Sboms)
	}
	if len(g.Dockers) == 0 && len(g.Kos) == 0 {
		t.Fatal("no container image (dockers or kos)")
	}
	var arches []string
	for _, d := range g.Dockers {
		arches = append(arches, d.Goos+"/"+d.Goarch)
		if _, err := os.Stat(filepath.Join(root, d.Dockerfile)); err != nil {
			t.Errorf("dockerfile: %v", err)
		}
		if len(d.ImageTemplates) == 0 || !strings.HasPrefix(d.ImageTemplates[0], "ghcr.io/cdaudit/cdaudit:{{ .Version }}") {
			t.Errorf("image templates %q", d.ImageTemplates)
		}
	}
	if d := cmp.Diff([]string{"linux/amd64", "linux/arm64"}, arches); d != "" {
		t.Errorf("image platforms (-want +got):\n%s", d)
	}
	if len(g.DockerManifests) == 0 || g.DockerManifests[0].NameTemplate != "ghcr.io/cdaudit/cdaudit:{{ .Version }}" {
		t.Errorf("docker manifests %+v: the GitLab template pulls ghcr.io/cdaudit/cdaudit:VERSION", g.DockerManifests)
	}
}

// The release image copies the binary GoReleaser built and keeps a shell for
// GitLab CI.
func TestReleaseDockerfile(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(root, "Dockerfile.release"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, want := range []string{"FROM alpine:", "COPY cdaudit /usr/local/bin/cdaudit", "ca-certificates", "USER 65532"} {
		if !strings.Contains(s, want) {
			t.Errorf("Dockerfile.release lacks %q", want)
		}
	}
}
