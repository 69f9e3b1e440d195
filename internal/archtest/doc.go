// Package archtest checks the import rules of cdaudit's packages: which of
// the module's packages each may import directly, which standard or
// third-party packages it must not import (no I/O in model, measure, rules
// and gate; no network in the local git collector; no fake host in
// production code), and that every package's comment states its rules in a
// paragraph starting "Import rules:". The table of rules is in
// imports_test.go, and only there: a new package needs a row, a new import
// of another cdaudit package a changed row and comment.
//
// Import rules: no code outside its test; the test imports only the
// standard library and runs `go list -json ./...`.
package archtest
