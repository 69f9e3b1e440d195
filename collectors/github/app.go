package github

import (
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/cdaudit/cdaudit/collectors/httpx"
)

// A GitHub App authenticates as itself with a short-lived JWT (RS256,
// signed with the app's private key) and reads repositories with an
// installation access token, which expires after an hour
// (docs.github.com: "Generating a JSON Web Token (JWT) for a GitHub App",
// "Generating an installation access token for a GitHub App").
const (
	// jwtBackdate and jwtLife: iat 60 s in the past against clock drift,
	// exp at most 10 minutes after it as GitHub requires.
	jwtBackdate = 60 * time.Second
	jwtLife     = 9 * time.Minute
	// tokenRefresh renews an installation token this long before it
	// expires.
	tokenRefresh = 5 * time.Minute
)

// AppError reports a failure to authenticate as a GitHub App (a bad key, an
// app without an installation on the account, a refused JWT).
type AppError struct {
	Op     string
	Status int // HTTP status when the host answered, else 0
	Err    error
}

func (e *AppError) Error() string {
	if e.Status != 0 {
		return fmt.Sprintf("GitHub App: %s: HTTP %d", e.Op, e.Status)
	}
	return fmt.Sprintf("GitHub App: %s: %v", e.Op, e.Err)
}

func (e *AppError) Unwrap() error { return e.Err }

// ParseAppKey reads a GitHub App's private key: the PEM file GitHub hands
// out (PKCS #1 "RSA PRIVATE KEY") or a PKCS #8 "PRIVATE KEY".
func ParseAppKey(pemBytes []byte) (*rsa.PrivateKey, error) {
	blk, _ := pem.Decode(pemBytes)
	if blk == nil {
		return nil, errors.New("GitHub App key: not a PEM file")
	}
	if k, err := x509.ParsePKCS1PrivateKey(blk.Bytes); err == nil {
		return k, nil
	}
	k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		return nil, errors.New("GitHub App key: not an RSA private key (PKCS #1 or #8)")
	}
	rk, ok := k.(*rsa.PrivateKey)
	if !ok {
		return nil, errors.New("GitHub App key: not an RSA private key")
	}
	return rk, nil
}

// App is a GitHub App's credential source, shared by the targets of a run:
// it finds the installation of each account, and mints and refreshes its
// installation tokens. Safe for concurrent use.
type App struct {
	id   string
	key  *rsa.PrivateKey
	base *url.URL
	http *http.Client // unauthenticated: App adds its own JWT
	now  func() time.Time

	mu     sync.Mutex
	inst   map[string]int64 // by account login, lower case
	tokens map[int64]appToken
}

type appToken struct {
	token   string
	expires time.Time
}

// AppOptions configures an App.
type AppOptions struct {
	// ID is the app's id (or client id), the JWT's issuer.
	ID string
	// Key signs the JWTs.
	Key *rsa.PrivateKey
	// APIURL is the REST base (default DefaultAPIURL).
	APIURL string
	// HTTP sends the app's requests (nil: an httpx client without cache).
	HTTP *http.Client
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// NewApp checks the options; it sends no request.
func NewApp(opt AppOptions) (*App, error) {
	if opt.ID == "" || opt.Key == nil {
		return nil, errors.New("GitHub App: an app id and a private key are needed")
	}
	base, err := parseAPIURL(opt.APIURL)
	if err != nil {
		return nil, err
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.HTTP == nil {
		hc, err := httpx.New(httpx.Options{})
		if err != nil {
			return nil, err
		}
		opt.HTTP = hc.HTTP
	}
	return &App{id: opt.ID, key: opt.Key, base: base, http: opt.HTTP, now: opt.Now,
		inst: map[string]int64{}, tokens: map[int64]appToken{}}, nil
}

// JWT returns a token that authenticates as the app for about 9 minutes.
func (a *App) JWT() (string, error) {
	now := a.now()
	enc := base64.RawURLEncoding
	head := enc.EncodeToString([]byte(`{"alg":"RS256","typ":"JWT"}`))
	claims, err := json.Marshal(map[string]any{"iat": now.Add(-jwtBackdate).Unix(),
		"exp": now.Add(-jwtBackdate).Add(jwtLife).Unix(), "iss": a.id})
	if err != nil {
		return "", err
	}
	signing := head + "." + enc.EncodeToString(claims)
	sum := sha256.Sum256([]byte(signing))
	sig, err := rsa.SignPKCS1v15(rand.Reader, a.key, crypto.SHA256, sum[:])
	if err != nil {
		return "", &AppError{Op: "signing the JWT", Err: err}
	}
	return signing + "." + enc.EncodeToString(sig), nil
}

// Source returns the credential source of owner/repo for
// httpx.Credentials.Source: the installation token of the account, minted
// at the first request and renewed 5 minutes before it expires. The
// installation is looked up once per account (through the repository).
func (a *App) Source(owner, repo string) func(ctx context.Context) (http.Header, error) {
	return func(ctx context.Context) (http.Header, error) {
		id, tok, err := a.token(ctx, owner, repo)
		if err != nil {
			return nil, err
		}
		return http.Header{"Authorization": {"Bearer " + tok},
			httpx.CacheIdentityHeader: {"github-app:" + a.id + ":installation:" + strconv.FormatInt(id, 10)}}, nil
	}
}

func (a *App) token(ctx context.Context, owner, repo string) (int64, string, error) {
	a.mu.Lock()
	defer a.mu.Unlock() // one lookup at a time: targets of one account wait for its token
	key := strings.ToLower(owner)
	id, ok := a.inst[key]
	if !ok {
		var err error
		if id, err = a.installation(ctx, owner, repo); err != nil {
			return 0, "", err
		}
		a.inst[key] = id
	}
	if t, ok := a.tokens[id]; ok && a.now().Before(t.expires.Add(-tokenRefresh)) {
		return id, t.token, nil
	}
	t, err := a.mint(ctx, id)
	if err != nil {
		return 0, "", err
	}
	a.tokens[id] = t
	return id, t.token, nil
}

// installation finds the app's installation on the repository's account:
// GET /repos/{owner}/{repo}/installation, or /orgs/{org}/installation
// when repo is "" (a discovery).
func (a *App) installation(ctx context.Context, owner, repo string) (int64, error) {
	path := "repos/" + url.PathEscape(owner) + "/" + url.PathEscape(repo) + "/installation"
	if repo == "" {
		path = "orgs/" + url.PathEscape(owner) + "/installation"
	}
	var out struct {
		ID int64 `json:"id"`
	}
	if err := a.call(ctx, http.MethodGet, path, "finding the installation on "+owner, &out); err != nil {
		return 0, err
	}
	if out.ID == 0 {
		return 0, &AppError{Op: "finding the installation on " + owner, Err: errors.New("no installation id")}
	}
	return out.ID, nil
}

// mint asks for an installation token: POST
// /app/installations/{id}/access_tokens (201 with token and expires_at).
func (a *App) mint(ctx context.Context, id int64) (appToken, error) {
	var out struct {
		Token     string    `json:"token"`
		ExpiresAt time.Time `json:"expires_at"`
	}
	op := "minting an installation token"
	if err := a.call(ctx, http.MethodPost, "app/installations/"+strconv.FormatInt(id, 10)+"/access_tokens", op, &out); err != nil {
		return appToken{}, err
	}
	if out.Token == "" || out.ExpiresAt.IsZero() {
		return appToken{}, &AppError{Op: op, Err: errors.New("the answer holds no token or expiry")}
	}
	return appToken{token: out.Token, expires: out.ExpiresAt}, nil
}

func (a *App) call(ctx context.Context, method, path, op string, v any) error {
	jwt, err := a.JWT()
	if err != nil {
		return err
	}
	u := a.base.ResolveReference(&url.URL{Path: path})
	req, err := http.NewRequestWithContext(ctx, method, u.String(), nil)
	if err != nil {
		return &AppError{Op: op, Err: err}
	}
	req.Header.Set("Authorization", "Bearer "+jwt)
	req.Header.Set("Accept", "application/vnd.github+json")
	req.Header.Set("X-GitHub-Api-Version", "2022-11-28")
	req.Header.Set("User-Agent", "cdaudit")
	resp, err := a.http.Do(req)
	if err != nil {
		return &AppError{Op: op, Err: err}
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusCreated {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return &AppError{Op: op, Status: resp.StatusCode}
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(v); err != nil {
		return &AppError{Op: op, Err: err}
	}
	return nil
}

// credentials are the collector's credential layer: the App's installation
// token when an App is given, else the static token (none: public data).
func credentials(opt Options, base *url.URL, owner, name string) httpx.Credentials {
	cred := httpx.Credentials{Origin: base}
	switch {
	case opt.App != nil:
		cred.Source = opt.App.Source(owner, name)
	case opt.Token != "":
		cred.Header = http.Header{"Authorization": {"Bearer " + opt.Token}}
	}
	return cred
}

// authenticated reports a token or an App.
func (c *Collector) authenticated() bool { return c.opt.Token != "" || c.opt.App != nil }
