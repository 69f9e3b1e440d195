// Package pqueue is a binary heap of any type, ordered by a function: the
// commit walk of collectors/git and the prefetcher of its object database
// both order commits with one.
//
// Import rules: the standard library only (and not even that today); it
// knows nothing of git.
package pqueue

// Queue is a binary heap: First(a, b) is true when a must come out before b.
// The zero Queue with First set is empty and ready to use.
type Queue[T any] struct {
	items []T
	First func(a, b T) bool
}

// New returns an empty queue ordered by first.
func New[T any](first func(a, b T) bool) Queue[T] { return Queue[T]{First: first} }

// Len returns the number of items.
func (q *Queue[T]) Len() int { return len(q.items) }

// Peek returns the next item without removing it; the queue must not be empty.
func (q *Queue[T]) Peek() T { return q.items[0] }

// Reset empties the queue, keeping its memory.
func (q *Queue[T]) Reset() { q.items = q.items[:0] }

// Push adds x.
func (q *Queue[T]) Push(x T) {
	q.items = append(q.items, x)
	h := q.items
	j := len(h) - 1
	for j > 0 {
		p := (j - 1) / 2
		if !q.First(h[j], h[p]) {
			break
		}
		h[j], h[p] = h[p], h[j]
		j = p
	}
}

// Pop removes and returns the next item; the queue must not be empty.
func (q *Queue[T]) Pop() T {
	h := q.items
	top := h[0]
	last := len(h) - 1
	h[0] = h[last]
	h = h[:last]
	j := 0
	for {
		l := 2*j + 1
		if l >= len(h) {
			break
		}
		m := l
		if r := l + 1; r < len(h) && q.First(h[r], h[l]) {
			m = r
		}
		if !q.First(h[m], h[j]) {
			break
		}
		h[j], h[m] = h[m], h[j]
		j = m
	}
	q.items = h
	return top
}
