package sweep

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/pullcheck/pullcheck/fleet"
)

// coverageKey is the finding key of the survey of the account's clusters.
const coverageKey = "clusters/coverage"

// CoverageSweep says, with the hygiene sweep, which of the account's
// Kubernetes Service clusters pullcheck does not cover and which of its
// own clusters do not answer: posted when that changes, and once more
// when every cluster is covered and answers again.
type CoverageSweep struct {
	// Survey surveys the clusters (fleet.Take with pullcheck's key).
	Survey func(ctx context.Context) *fleet.Survey
	Store  Store
	Notify Notifier
	// Channel is where the finding goes.
	Channel string
}

// Run surveys and posts what changed.
func (c *CoverageSweep) Run(ctx context.Context) error {
	if c.Survey == nil || c.Store == nil || c.Notify == nil {
		return errors.New("running the coverage sweep: Survey, Store and Notify are required")
	}
	s := c.Survey(ctx)
	st, err := c.Store.Load(ctx)
	if err != nil {
		return fmt.Errorf("loading sweep state: %w", err)
	}
	st.init()
	p := poster{notify: c.Notify, channel: c.Channel, state: &st}
	mark := ""
	if len(s.Uncovered) > 0 || failing(s) > 0 {
		mark = SeverityWarning + " " + s.Digest()
	}
	if !p.changed(coverageKey, mark) {
		return nil
	}
	lines := s.Lines()
	f := Finding{Kind: KindHygiene, Key: coverageKey, Severity: SeverityOK, Title: "Every cluster pullcheck serves answers, and it covers every cluster of the account"}
	if mark != "" {
		f.Severity = SeverityWarning
		var parts []string
		if n := len(s.Uncovered); n > 0 {
			parts = append(parts, fmt.Sprintf("%s of the account not covered", plural(n, "cluster")))
		}
		if n := failing(s); n > 0 {
			parts = append(parts, fmt.Sprintf("%s of pullcheck's own not answering", plural(n, "cluster")))
		}
		f.Title = "Clusters: " + strings.Join(parts, "; ")
		f.Lines = lines
	}
	errs := []error{p.post(ctx, f, mark)}
	if err := c.Store.Save(ctx, st); err != nil {
		errs = append(errs, fmt.Errorf("saving sweep state: %w", err))
	}
	return errors.Join(errs...)
}

// failing counts the members that could not be read.
func failing(s *fleet.Survey) int {
	n := 0
	for _, m := range s.Members {
		if m.Err != nil {
			n++
		}
	}
	return n
}
