package gitlab

import "testing"

func TestCleanLink(t *testing.T) {
	for in, want := range map[string]string{
		`<https://g/api/v4/p?page=2>; rel="next"`: `<https://g/api/v4/p?page=2>; rel="next"`,
		`;`:                                    ``,
		`<x>; next, <https://g/y>; rel="last"`: `<https://g/y>; rel="last"`,
		`garbage, <https://g/a>; rel="next", <https://g/b>; rel=`: `<https://g/a>; rel="next", <https://g/b>; rel=`,
	} {
		if got := cleanLink(in); got != want {
			t.Errorf("cleanLink(%q) = %q, want %q", in, got, want)
		}
	}
}
