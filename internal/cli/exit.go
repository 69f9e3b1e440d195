// Package cli holds cdaudit's commands (cobra), the wiring of collectors,
// rules, reports and the store, and the mapping of outcomes to exit codes.
//
// Import rules: any package of cdaudit but the test-only ones (the host fakes,
// internal/gittest); it is the one place that wires them.
package cli

import (
	"errors"
	"fmt"

	"github.com/cdaudit/cdaudit/collectors/httpx"
)

// Exit codes.
const (
	ExitOK         = 0
	ExitGateFailed = 1
	ExitError      = 2
)

// exitError carries an exit code with the message to print.
type exitError struct {
	code int
	err  error
}

// Error is the message with the credentials of any URL in it masked (a
// store DSN, a Pushgateway or API URL given with user:secret@).
func (e *exitError) Error() string { return httpx.RedactURL(e.err.Error()) }
func (e *exitError) Unwrap() error { return e.err }

// usageErr marks bad input (exit 2).
func usageErr(format string, args ...any) error {
	return &exitError{code: ExitError, err: fmt.Errorf(format, args...)}
}

// gateFailed marks a failed gate (exit 1); the report was already printed.
func gateFailed(msg string) error {
	return &exitError{code: ExitGateFailed, err: errors.New(msg)}
}

func codeOf(err error) int {
	var e *exitError
	if errors.As(err, &e) {
		return e.code
	}
	return ExitError
}
