// Package kubernetes holds the Kustomize manifests of a nightly sharded
// audit (an Indexed Job per night) and of `cdaudit serve`; it has no code.
// Its test parses every manifest and checks what the deployment relies on
// (docs/kubernetes.md), and renders them with `kubectl kustomize` where
// kubectl is installed.
//
// Import rules: no code outside its test.
package kubernetes
