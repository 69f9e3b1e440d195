package kubernetes

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/cdaudit/cdaudit/config"
	"github.com/cdaudit/cdaudit/model"
)

type obj = map[string]any

// docs parses every YAML document of b.
func docs(t *testing.T, name string, b []byte) []obj {
	t.Helper()
	var out []obj
	dec := yaml.NewDecoder(bytes.NewReader(b))
	for {
		var d obj
		err := dec.Decode(&d)
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if d != nil {
			out = append(out, d)
		}
	}
}

// get walks a path of map keys and list indexes.
func get(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(obj)
			if !ok {
				return nil
			}
			v = m[k]
		case int:
			l, ok := v.([]any)
			if !ok || k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

func str(v any, path ...any) string { s, _ := get(v, path...).(string); return s }

// manifests reads the kustomization and the documents of its resources.
func manifests(t *testing.T) (kust obj, byKind map[string][]obj) {
	t.Helper()
	b, err := os.ReadFile("kustomization.yaml")
	if err != nil {
		t.Fatal(err)
	}
	kust = docs(t, "kustomization.yaml", b)[0]
	byKind = map[string][]obj{}
	res, _ := kust["resources"].([]any)
	if len(res) == 0 {
		t.Fatal("kustomization.yaml lists no resources")
	}
	for _, r := range res {
		name := fmt.Sprint(r)
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatalf("resource %s: %v", name, err)
		}
		for _, d := range docs(t, name, b) {
			if str(d, "apiVersion") == "" || str(d, "kind") == "" || str(d, "metadata", "name") == "" {
				t.Errorf("%s: a document without apiVersion, kind or metadata.name", name)
			}
			byKind[str(d, "kind")] = append(byKind[str(d, "kind")], d)
		}
	}
	return kust, byKind
}

func one(t *testing.T, byKind map[string][]obj, kind string) obj {
	t.Helper()
	if len(byKind[kind]) != 1 {
		t.Fatalf("%d %s documents, want 1", len(byKind[kind]), kind)
	}
	return byKind[kind][0]
}

// checkPod checks what every pod of cdaudit needs: non-root, no service
// account token, resources, a read-only root, the store from the Secret.
func checkPod(t *testing.T, what string, pod any) {
	t.Helper()
	if get(pod, "securityContext", "runAsNonRoot") != true || get(pod, "automountServiceAccountToken") != false {
		t.Errorf("%s: pod must run as non-root without a service account token", what)
	}
	c := get(pod, "containers", 0)
	if get(c, "resources", "requests", "cpu") == nil || get(c, "resources", "limits", "memory") == nil {
		t.Errorf("%s: container needs cpu requests and a memory limit", what)
	}
	if get(c, "securityContext", "readOnlyRootFilesystem") != true || get(c, "securityContext", "allowPrivilegeEscalation") != false {
		t.Errorf("%s: container must have a read-only root and no privilege escalation", what)
	}
	if secretEnv(c)["CDAUDIT_STORE"] == "" {
		t.Errorf("%s: CDAUDIT_STORE must come from a Secret", what)
	}
}

// secretEnv maps env names to the Secret key they read.
func secretEnv(c any) map[string]string {
	out := map[string]string{}
	env, _ := get(c, "env").([]any)
	for _, e := range env {
		if k := str(e, "valueFrom", "secretKeyRef", "key"); k != "" {
			out[str(e, "name")] = k
		}
	}
	return out
}

func TestIndexedCronJob(t *testing.T) {
	_, byKind := manifests(t)
	cj := one(t, byKind, "CronJob")
	job := get(cj, "spec", "jobTemplate", "spec")
	if str(job, "completionMode") != "Indexed" {
		t.Fatalf("completionMode = %q, want Indexed", str(job, "completionMode"))
	}
	n, _ := get(job, "completions").(int)
	if par, _ := get(job, "parallelism").(int); n < 1 || par < 1 || par > n {
		t.Errorf("completions %d, parallelism %d", n, par)
	}
	if str(cj, "spec", "concurrencyPolicy") != "Forbid" {
		t.Error("a night's job must not overlap the next")
	}
	pod := get(job, "template", "spec")
	checkPod(t, "CronJob", pod)
	c := get(pod, "containers", 0)
	args := fmt.Sprint(get(c, "args"))
	m := regexp.MustCompile(`--shard=\$\((\w+)\)/(\d+)`).FindStringSubmatch(args)
	if m == nil || m[2] != strconv.Itoa(n) {
		t.Fatalf("args %s: want --shard=$(VAR)/%d (N equal to completions)", args, n)
	}
	env, _ := get(c, "env").([]any)
	idx := slices.IndexFunc(env, func(e any) bool { return str(e, "name") == m[1] })
	if idx < 0 || str(env[idx], "valueFrom", "fieldRef", "fieldPath") != "metadata.annotations['batch.kubernetes.io/job-completion-index']" {
		t.Errorf("%s must be the pod's completion index", m[1])
	}
	if s := secretEnv(c); s["GITHUB_TOKEN"] == "" || s["GITLAB_TOKEN"] == "" {
		t.Errorf("tokens must come from the Secret: %v", s)
	}
	if !regexp.MustCompile(`--config=/etc/cdaudit/audit.yaml`).MatchString(args) || get(c, "args", 0) != "audit" {
		t.Errorf("args %s: want audit --config=/etc/cdaudit/audit.yaml", args)
	}
}

func TestServeDeploymentAndService(t *testing.T) {
	_, byKind := manifests(t)
	d := one(t, byKind, "Deployment")
	tmpl := get(d, "spec", "template")
	checkPod(t, "Deployment", get(tmpl, "spec"))
	args := fmt.Sprint(get(tmpl, "spec", "containers", 0, "args"))
	if get(tmpl, "spec", "containers", 0, "args", 0) != "serve" || regexp.MustCompile(`--every`).MatchString(args) {
		t.Errorf("args %s: want serve without --every (read-only; the CronJob audits)", args)
	}
	if str(tmpl, "metadata", "annotations", "prometheus.io/scrape") != "true" || str(tmpl, "metadata", "annotations", "prometheus.io/port") != "9317" {
		t.Error("the serve pod needs prometheus.io scrape annotations")
	}
	labels, _ := get(tmpl, "metadata", "labels").(obj)
	for _, sel := range []any{get(d, "spec", "selector", "matchLabels"), get(one(t, byKind, "Service"), "spec", "selector")} {
		m, _ := sel.(obj)
		if len(m) == 0 {
			t.Error("an empty selector")
		}
		for k, v := range m {
			if labels[k] != v {
				t.Errorf("selector %s=%v does not match the pod's labels %v", k, v, labels)
			}
		}
	}
}

// The ConfigMap's audit.yaml is a valid cdaudit configuration.
func TestConfigMapParses(t *testing.T) {
	_, byKind := manifests(t)
	text := str(one(t, byKind, "ConfigMap"), "data", "audit.yaml")
	cat, err := model.LoadCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	c, err := config.Parse("configmap audit.yaml", []byte(text), cat)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Targets) == 0 || c.Targets[0].Discover == nil {
		t.Errorf("want discovery targets, got %+v", c.Targets)
	}
}

// kubectl kustomize renders the manifests, when kubectl is installed.
func TestKustomizeBuild(t *testing.T) {
	kubectl, err := exec.LookPath("kubectl")
	if err != nil {
		t.Skip("kubectl not installed: structural checks only")
	}
	kust, _ := manifests(t)
	out, err := exec.CommandContext(t.Context(), kubectl, "kustomize", ".").Output()
	if err != nil {
		t.Fatalf("kubectl kustomize: %v", err)
	}
	rendered := docs(t, "kustomize output", out)
	if len(rendered) != len(kust["resources"].([]any)) {
		t.Errorf("%d rendered documents for %d resources", len(rendered), len(kust["resources"].([]any)))
	}
	for _, d := range rendered {
		if str(d, "metadata", "namespace") != str(kust, "namespace") {
			t.Errorf("%s/%s: namespace %q", str(d, "kind"), str(d, "metadata", "name"), str(d, "metadata", "namespace"))
		}
		for _, c := range [][]any{{"spec", "template", "spec", "containers", 0, "image"}, {"spec", "jobTemplate", "spec", "template", "spec", "containers", 0, "image"}} {
			if img := str(d, c...); img != "" && img != "ghcr.io/cdaudit/cdaudit:latest" {
				t.Errorf("image %q not set by the kustomization", img)
			}
		}
	}
}
