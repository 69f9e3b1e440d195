// Package odb is the storage engine of the local git collector: it reads
// git's object database as git writes it — pack files and their indexes
// (version 1 and 2, 64-bit offsets) mapped into memory, offset and
// reference deltas with a bounded cache of delta bases, loose objects,
// zlib streams checked against their adler32 — and the commit-graph
// (single file or chain, generation data v2), and decodes commits ahead of
// a walk on worker goroutines (Prefetcher). It also parses raw commits and
// annotated tags in place: that is git's object format, which the
// prefetcher needs to follow parents, not evidence.
//
// The interface is narrow: Open gives a DB; each goroutine reads through its
// own Reader (Read, TypeOf, Scratch); OpenCommitGraph gives a CommitGraph
// (Lookup, HashAt, Row); NewPrefetcher (Seed, Take, Release, EndChase,
// Stop). Damaged objects are *CorruptObjectError, matching ErrCorrupt;
// absent ones match ErrNotFound. Hot paths (Read of a commit, Row, Lookup)
// allocate nothing once warm.
//
// Import rules: the standard library, go-git's plumbing types (plumbing,
// plumbing/storer for the fallback of alternates, plumbing/format/commitgraph
// for checking graph files) and collectors/git/internal/pqueue; nothing
// else of cdaudit (no model, no collectors, no logging).
package odb
