package github

import (
	"fmt"

	gh "github.com/google/go-github/v62/github"
)

// maxPages bounds every paged listing (100 items a page): a server whose
// Link header never ends, or points back, cannot keep an audit busy forever.
const maxPages = 1000

// nextPage reads the page to ask for after cur (0 and 1 both mean the first
// page) from resp's Link header: 0 when the listing is complete, an error
// when the header does not move forward or the listing passes maxPages.
func nextPage(cur int, resp *gh.Response) (int, error) {
	if resp == nil || resp.NextPage == 0 {
		return 0, nil
	}
	if cur < 1 {
		cur = 1
	}
	switch {
	case resp.NextPage <= cur:
		return 0, fmt.Errorf("the server's next page (%d) does not follow page %d", resp.NextPage, cur)
	case resp.NextPage > maxPages:
		return 0, fmt.Errorf("listing longer than %d pages", maxPages)
	}
	return resp.NextPage, nil
}
