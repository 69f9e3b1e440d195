package classify

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

func TestFixturesGolden(t *testing.T) {
	for _, name := range []string{"repo-github", "repo-gitlab", "repo-jenkins"} {
		t.Run(name, func(t *testing.T) {
			paths, r := loadFixture(t, name)
			got, err := Classify(context.Background(), paths, r)
			if err != nil {
				t.Fatal(err)
			}
			b, err := json.MarshalIndent(got, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			b = append(b, '\n')
			golden := filepath.Join("testdata", name+".golden.json")
			if *update {
				if err := os.WriteFile(golden, b, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if d := cmp.Diff(string(want), string(b)); d != "" {
				t.Errorf("facts differ from %s (-want +got):\n%s", golden, d)
			}
		})
	}
}
