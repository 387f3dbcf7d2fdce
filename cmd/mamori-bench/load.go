package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// target is one kind of request the load generator sends.
type target struct {
	name     string
	what     string
	url      string
	header   http.Header
	contains string // the answer must contain this (checked once, before the load)
	optional bool   // a 404 skips the target instead of failing the run
}

// assetTargets list the register with a filter, a search word and the total: the list page
// (a department, its most sensitive level, a two-character word) and the API (the most
// sensitive level and a longer word over the whole register).
var assetTargets = []string{"assets", "assets-api"}

var targetNames = append([]string{"html", "api", "bare"}, assetTargets...)

// errNoRoute is a check's answer 404: the route is not there.
var errNoRoute = errors.New("404 not found")

func (e *env) targets(ctx context.Context, names []string, assetsQuery string) ([]target, error) {
	var out []target
	for _, n := range names {
		t := target{name: n, header: http.Header{"User-Agent": {"mamori-bench"}}}
		switch n {
		case "assets", "assets-api":
			if err := e.assetTarget(ctx, &t, assetsQuery); err != nil {
				return nil, err
			}
		case "html":
			t.what, t.url, t.contains = "GET / (home page, session cookie)", e.mamURL+"/", e.name
			t.header.Set("Cookie", "mamori_session="+e.cookie)
		case "api":
			t.what, t.url, t.contains = "GET /api/v1/departments (bearer token)", e.mamURL+"/api/v1/departments", `"items":[{`
			t.header.Set("Authorization", "Bearer "+e.token)
		case "bare":
			t.what, t.url, t.contains = "bare net/http handler, fixed HTML", e.bareURL+"/", "ベースライン"
		default:
			return nil, fmt.Errorf("unknown target %q", n)
		}
		out = append(out, t)
	}
	return out, nil
}

// newClient is one simulated client: its own keep-alive connection pool, no proxy, no
// redirects followed (a redirect to the login page must count as a failure, not as a page).
func newClient() *http.Client {
	return &http.Client{
		Transport: &http.Transport{
			Proxy:               nil,
			DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			MaxIdleConns:        32,
			MaxIdleConnsPerHost: 32,
			IdleConnTimeout:     90 * time.Second,
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       30 * time.Second,
	}
}

// do sends one request and reads the whole answer.
func (t target) do(ctx context.Context, c *http.Client) (status int, body []byte, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.url, nil)
	if err != nil {
		return 0, nil, err
	}
	req.Header = t.header.Clone()
	res, err := c.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	body, err = io.ReadAll(res.Body)
	return res.StatusCode, body, err
}

// check sends one request and makes sure the answer is the page meant: 200 with its marker.
func (t target) check(ctx context.Context) error {
	c := newClient()
	defer c.CloseIdleConnections()
	status, body, err := t.do(ctx, c)
	switch {
	case err != nil:
		return err
	case status == http.StatusNotFound:
		return errNoRoute
	case status != http.StatusOK:
		return fmt.Errorf("status %d: %.300s", status, body)
	case !strings.Contains(string(body), t.contains):
		return fmt.Errorf("answer lacks %q: %.300s", t.contains, body)
	}
	return nil
}

// errorCounts counts failed requests by a short description.
type errorCounts map[string]int

func (e errorCounts) total() int {
	n := 0
	for _, c := range e {
		n += c
	}
	return n
}

// result is one target's measurement.
type result struct {
	target     target
	elapsed    time.Duration
	latencies  []time.Duration // successful requests, sorted
	bodyBytes  int
	errors     errorCounts
	warmErrors errorCounts
	db         dbStats
	cpu        cpuUse
}

func (r result) failed() int { return r.errors.total() }

// load has clients goroutines send t's request back to back for d, or until maxRequests have
// been started, and records the latency of every request.
func load(ctx context.Context, t target, clients int, d time.Duration, maxRequests int) result {
	ctx, cancel := context.WithTimeout(ctx, d+30*time.Second) // a hung request cannot hang the run
	defer cancel()
	var started atomic.Int64
	var mu sync.Mutex
	r := result{target: t, errors: errorCounts{}}
	var wg sync.WaitGroup
	begin := time.Now()
	deadline := begin.Add(d)
	for range clients {
		wg.Go(func() {
			c := newClient()
			defer c.CloseIdleConnections()
			lat := make([]time.Duration, 0, 4096)
			errs := errorCounts{}
			size := 0
			for time.Now().Before(deadline) && started.Add(1) <= int64(maxRequests) && ctx.Err() == nil {
				t0 := time.Now()
				status, body, err := t.do(ctx, c)
				took := time.Since(t0)
				switch {
				case err != nil:
					errs[err.Error()]++
				case status != http.StatusOK:
					errs[fmt.Sprintf("status %d", status)]++
				default:
					lat = append(lat, took)
					size = len(body)
				}
			}
			mu.Lock()
			defer mu.Unlock()
			r.latencies = append(r.latencies, lat...)
			for k, v := range errs {
				r.errors[k] += v
			}
			r.bodyBytes = max(r.bodyBytes, size)
		})
	}
	wg.Wait()
	r.elapsed = time.Since(begin)
	slices.Sort(r.latencies)
	return r
}

// percentile returns the latency below which p of the requests finished (nearest rank).
func (r result) percentile(p float64) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	i := int(p*float64(len(r.latencies))+0.999999) - 1
	return r.latencies[min(max(i, 0), len(r.latencies)-1)]
}

func (r result) rate() float64 { return float64(len(r.latencies)) / r.elapsed.Seconds() }

// report prints the results as a Markdown table, each Mamori target beside the bare baseline.
func report(w io.Writer, results []result) {
	var base *result
	for i := range results {
		if results[i].target.name == "bare" {
			base = &results[i]
		}
	}
	fmt.Fprintln(w, "| target | requests | req/s | p50 | p90 | p99 | max | body bytes | errors | req/s ÷ bare | p50 ÷ bare | CPU cores: bench / machine |")
	fmt.Fprintln(w, "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
	for _, r := range results {
		ratio, slower := "", ""
		if base != nil && base.rate() > 0 && base.percentile(.5) > 0 {
			ratio = fmt.Sprintf("%.3f", r.rate()/base.rate())
			slower = fmt.Sprintf("%.1f×", float64(r.percentile(.5))/float64(base.percentile(.5)))
		}
		fmt.Fprintf(w, "| %s: %s | %d | %.0f | %s | %s | %s | %s | %d | %d | %s | %s | %.2f / %.2f |\n",
			r.target.name, r.target.what, len(r.latencies), r.rate(), ms(r.percentile(.5)), ms(r.percentile(.9)),
			ms(r.percentile(.99)), ms(r.percentile(1)), r.bodyBytes, r.failed()+r.warmErrors.total(), ratio, slower,
			r.cpu.process, r.cpu.machine)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "CPU cores: this process (server and load generator together) and the whole machine; a machine figure well above")
	fmt.Fprintln(w, "the process's means other programs competed for the cores and the run should be repeated.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Database pool during each measurement:")
	for _, r := range results {
		if r.target.name == "bare" {
			continue
		}
		fmt.Fprintf(w, "- %s: %d waits for a free connection (%s in all); %d connections closed because more than MaxIdleConns were idle; %d open at the end\n",
			r.target.name, r.db.WaitCount, r.db.WaitDuration.Round(time.Millisecond), r.db.MaxIdleClosed, r.db.OpenConnections)
	}
	for _, r := range results {
		for _, set := range []struct {
			when string
			errs errorCounts
		}{{"warm-up", r.warmErrors}, {"measurement", r.errors}} {
			for msg, n := range set.errs {
				fmt.Fprintf(w, "- ERROR %s (%s): %d × %s\n", r.target.name, set.when, n, msg)
			}
		}
	}
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)) }
