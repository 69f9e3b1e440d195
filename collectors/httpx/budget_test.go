package httpx

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// quotaServer answers with GitHub's quota headers, remaining counting down
// from limit, and records the most requests it saw in flight at once.
type quotaServer struct {
	limit    int
	reset    time.Time
	served   atomic.Int64
	inFlight atomic.Int64
	maxSeen  atomic.Int64
	hold     time.Duration
}

func (q *quotaServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n := q.inFlight.Add(1)
	defer q.inFlight.Add(-1)
	for {
		m := q.maxSeen.Load()
		if n <= m || q.maxSeen.CompareAndSwap(m, n) {
			break
		}
	}
	time.Sleep(q.hold)
	used := q.served.Add(1)
	w.Header().Set("X-RateLimit-Limit", strconv.Itoa(q.limit))
	w.Header().Set("X-RateLimit-Remaining", strconv.Itoa(q.limit-int(used)))
	w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(q.reset.Unix(), 10))
	w.Header().Set("X-RateLimit-Resource", "core")
	_, _ = w.Write([]byte("{}"))
}

func getB(t *testing.T, hc *http.Client, u string) {
	t.Helper()
	resp, err := hc.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
}

func TestBudgetBoundsRequestsInFlight(t *testing.T) {
	q := &quotaServer{limit: 5000, reset: time.Now().Add(time.Hour), hold: 20 * time.Millisecond}
	srv := httptest.NewServer(q)
	defer srv.Close()
	b := NewBudget(3, nil)
	var wg sync.WaitGroup
	for i := range 4 { // four clients of one host share the budget
		c, err := New(Options{Budget: b, MaxRetries: -1})
		if err != nil {
			t.Fatal(err)
		}
		for j := range 5 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				getB(t, c.HTTP, srv.URL+"/r/"+strconv.Itoa(i*10+j))
			}()
		}
	}
	wg.Wait()
	if got := q.maxSeen.Load(); got > 3 {
		t.Errorf("%d requests in flight at once, want at most 3", got)
	}
	if rem, _, known := b.Remaining(); !known || rem != 5000-20 {
		t.Errorf("remaining %d (known %v), want %d", rem, known, 5000-20)
	}
}

func TestBudgetReserve(t *testing.T) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	h := func(rem int, reset time.Time) http.Header {
		return http.Header{"X-Ratelimit-Remaining": {strconv.Itoa(rem)}, "X-Ratelimit-Reset": {strconv.FormatInt(reset.Unix(), 10)},
			"X-Ratelimit-Limit": {"5000"}}
	}
	inAnHour := now.Add(time.Hour)
	tests := []struct {
		name    string
		answers []http.Header
		book    []int
		want    []bool // each booking fits
	}{
		{"unknown quota: everything fits", nil, []int{100000, 5}, []bool{true, true}},
		{"known quota: bookings add up", []http.Header{h(100, inAnHour)}, []int{60, 40, 1}, []bool{true, true, false}},
		{"out-of-order answers: the lowest wins", []http.Header{h(50, inAnHour), h(80, inAnHour.Add(time.Second))}, []int{51}, []bool{false}},
		{"a later window replaces", []http.Header{h(3, now.Add(-time.Minute*10)), h(4000, inAnHour)}, []int{3000}, []bool{true}},
		{"a passed reset: unknown again", []http.Header{h(0, now.Add(-time.Second))}, []int{10}, []bool{true}},
		{"another resource is left out", []http.Header{{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Resource": {"graphql"},
			"X-Ratelimit-Reset": {strconv.FormatInt(inAnHour.Unix(), 10)}}}, []int{10}, []bool{true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := NewBudget(0, clock)
			for _, a := range tt.answers {
				b.observe(a, DialectGitHub, true)
			}
			var got []bool
			for _, n := range tt.book {
				_, err := b.Reserve(n, "api.example.com")
				var ie *InsufficientBudgetError
				if err != nil && !errors.As(err, &ie) {
					t.Fatalf("Reserve: %v, want *InsufficientBudgetError", err)
				}
				got = append(got, err == nil)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("bookings fit (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReservationIsSpentByItsClient(t *testing.T) {
	q := &quotaServer{limit: 100, reset: time.Now().Add(time.Hour)}
	srv := httptest.NewServer(q)
	defer srv.Close()
	b := NewBudget(0, nil)
	c, err := New(Options{Budget: b})
	if err != nil {
		t.Fatal(err)
	}
	getB(t, c.HTTP, srv.URL+"/first") // learns the quota: 99 left
	if err := c.Reserve(50, "h"); err != nil {
		t.Fatal(err)
	}
	for i := range 10 {
		getB(t, c.HTTP, srv.URL+"/"+strconv.Itoa(i))
	}
	// 89 left, 40 of the booking unspent: 49 available.
	other, _ := New(Options{Budget: b})
	if err := other.Reserve(50, "h"); err == nil {
		t.Error("a booking of 50 fitted into 49")
	}
	if err := other.Reserve(49, "h"); err != nil {
		t.Errorf("a booking of 49 did not fit into 49: %v", err)
	}
	other.Settle()
	c.Settle()
	r, err := b.Reserve(89, "h")
	if err != nil {
		t.Errorf("after settling, 89 did not fit: %v", err)
	}
	r.Release()
	r.Release() // twice is harmless
	var ie *InsufficientBudgetError
	if _, err := b.Reserve(90, "api.example.com"); !errors.As(err, &ie) || ie.Available != 89 || ie.Need != 90 {
		t.Errorf("Reserve(90) = %v, want 89 available of 90 needed", err)
	}
}

func TestBudgetsPick(t *testing.T) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	origin, _ := url.Parse("https://api.github.com/")
	bs := &Budgets{Now: func() time.Time { return now }}
	toks := []string{"tok-a", "tok-b", "tok-c"}
	var got []int
	for range 4 { // unknown quotas: round-robin
		i, _ := bs.Pick(origin, toks)
		got = append(got, i)
	}
	reset := strconv.FormatInt(now.Add(time.Hour).Unix(), 10)
	for i, rem := range []string{"10", "900", "300"} {
		bs.For(origin, toks[i]).observe(http.Header{"X-Ratelimit-Remaining": {rem}, "X-Ratelimit-Reset": {reset}}, DialectGitHub, true)
	}
	i, b := bs.Pick(origin, toks) // the most left
	got = append(got, i)
	if b != bs.For(origin, "tok-b") {
		t.Error("Pick returned another credential's budget")
	}
	if diff := cmp.Diff([]int{0, 1, 2, 0, 1}, got); diff != "" {
		t.Errorf("picks (-want +got):\n%s", diff)
	}
	other, _ := url.Parse("https://api.github.com:443/x")
	if bs.For(other, "tok-a") != bs.For(origin, "tok-a") {
		t.Error("one origin, two budgets")
	}
	if bs.For(origin, "tok-a") == bs.For(origin, "tok-b") {
		t.Error("two credentials share a budget")
	}
}
