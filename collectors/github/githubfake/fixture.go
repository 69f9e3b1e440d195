package githubfake

// Fixture sizes: the busy repository of issue 12, a 90-day history of a
// first audit.
const (
	FixturePulls       = 189
	FixtureRuns        = 492
	FixtureDeployments = 216
)

// Fixture returns the scenario scaled to FixturePulls pull requests,
// FixtureRuns workflow runs and FixtureDeployments deployments (every item
// within the 90 days before ScenarioNow), for the first-audit benchmark and
// the GraphQL/REST parity test.
func Fixture(apiBase string) *Repo {
	r := Scaled(apiBase, 55)
	r.Pulls = r.Pulls[:FixturePulls]
	r.Runs = r.Runs[:FixtureRuns]
	r.Deployments = r.Deployments[:FixtureDeployments]
	return r
}
