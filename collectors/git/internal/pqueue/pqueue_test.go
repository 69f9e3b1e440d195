package pqueue

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestQueueOrders(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []int
		want []int
	}{
		{"empty", nil, nil},
		{"one", []int{4}, []int{4}},
		{"duplicates", []int{5, 1, 9, 3, 9, 7, 2}, []int{9, 9, 7, 5, 3, 2, 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := New(func(a, b int) bool { return a > b })
			for _, v := range tc.in {
				q.Push(v)
			}
			var got []int
			for q.Len() > 0 {
				if p := q.Peek(); p != tc.want[len(got)] {
					t.Fatalf("Peek = %d, want %d", p, tc.want[len(got)])
				}
				got = append(got, q.Pop())
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("pop order (-want +got):\n%s", d)
			}
			q.Push(1)
			q.Reset()
			if q.Len() != 0 {
				t.Error("Reset left items")
			}
		})
	}
}
