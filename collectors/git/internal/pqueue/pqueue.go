package git

// pqueue is a binary heap: first(a, b) is true when a must come out before b.
// The commit walk and the prefetcher both order commits with one.
type pqueue[T any] struct {
	items []T
	first func(a, b T) bool
}

func (q *pqueue[T]) len() int { return len(q.items) }

// peek returns the next item without removing it; the queue must not be empty.
func (q *pqueue[T]) peek() T { return q.items[0] }

func (q *pqueue[T]) reset() { q.items = q.items[:0] }

func (q *pqueue[T]) push(x T) {
	q.items = append(q.items, x)
	h := q.items
	j := len(h) - 1
	for j > 0 {
		p := (j - 1) / 2
		if !q.first(h[j], h[p]) {
			break
		}
		h[j], h[p] = h[p], h[j]
		j = p
	}
}

// pop removes and returns the next item; the queue must not be empty.
func (q *pqueue[T]) pop() T {
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
		if r := l + 1; r < len(h) && q.first(h[r], h[l]) {
			m = r
		}
		if !q.first(h[m], h[j]) {
			break
		}
		h[j], h[m] = h[m], h[j]
		j = m
	}
	q.items = h
	return top
}
