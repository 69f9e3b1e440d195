package classify

import "testing"

// TestJenkinsLibraryStep: a stage-less Jenkinsfile that only calls a step
// hands its pipeline to a shared library; one that runs commands does not.
func TestJenkinsLibraryStep(t *testing.T) {
	for src, want := range map[string]string{
		"buildPlugin(\n  forkCount: '1C',\n  configurations: [[platform: 'linux', jdk: 25]])\n": "buildPlugin",
		"@Library('acme') _\nstandardPipeline(service: 'shop')\n":                               "standardPipeline",
		"node {\n  sh 'make test'\n}\n":                                                         "",
		"properties([])\nnode('linux') { bat 'build.cmd' }\n":                                   "",
	} {
		if got := libraryStep(stripGroovyComments(src)); got != want {
			t.Errorf("libraryStep(%q) = %q, want %q", src, got, want)
		}
	}
}
