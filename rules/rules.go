// Package rules maps evidence and measurements onto the level tables of the
// continuous-delivery model: one module per practice, each a pure function.
package rules
