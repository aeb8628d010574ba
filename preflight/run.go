package preflight

import (
	"context"
	"fmt"
	"sync"

	"github.com/pullcheck/pullcheck/diagnose"
)

// DefaultParallel bounds the diagnoses a Run makes at once.
const DefaultParallel = 16

// Run is a finished preflight of a set of manifests.
type Run struct {
	Manifests *Manifests
	// Offline is set when no cluster and no IBM Cloud API was asked.
	Offline bool
	// Checked are the containers in manifest order, each with its subject
	// and the index of its diagnosis in Reports.
	Checked []Checked
	// Reports are the distinct diagnoses, in the order of first use.
	Reports []*diagnose.Report
	// Notes say what the preflight could not know (unreadable nodes).
	Notes []string
}

// Checked is one container and the diagnosis of its subject.
type Checked struct {
	Container
	Subject Subject
	Report  int
}

// Report is the diagnosis of c.
func (r *Run) Report(c Checked) *diagnose.Report { return r.Reports[c.Report] }

// Verdict sums the run up: a root cause anywhere decides; then anything
// unproved; else every image pulls.
func (r *Run) Verdict() diagnose.Verdict {
	v := diagnose.PullsFine
	for _, rep := range r.Reports {
		switch rep.Verdict {
		case diagnose.RootCauseFound:
			return diagnose.RootCauseFound
		case diagnose.VerdictUnproved:
			v = diagnose.VerdictUnproved
		}
	}
	return v
}

// Run diagnoses every container of m: each distinct subject once, at most
// parallel at a time (DefaultParallel when parallel < 1).
func (c *Checker) Run(ctx context.Context, m *Manifests, parallel int) *Run {
	run := &Run{Manifests: m, Offline: c.offline != nil}
	var subjects []Subject
	index := map[string]int{}
	for _, ct := range m.Containers {
		s := c.subjectOf(ctx, ct)
		i, ok := index[s.key()]
		if !ok {
			i = len(subjects)
			index[s.key()] = i
			subjects = append(subjects, s)
		}
		run.Checked = append(run.Checked, Checked{Container: ct, Subject: s, Report: i})
	}
	run.Reports = c.checkAll(ctx, subjects, parallel)
	run.Notes = c.notes()
	return run
}

// subjectOf is the question a container asks. Offline, every pod runs as
// "default" with the docker config as its only pull secret.
func (c *Checker) subjectOf(ctx context.Context, ct Container) Subject {
	s := Subject{Namespace: ct.Namespace, Image: ct.Image, Container: ct.Name, ServiceAccount: ct.ServiceAccount, PullSecrets: ct.PullSecrets,
		Platforms: c.platforms(ctx, ct.placement)}
	if c.offline != nil {
		s.ServiceAccount, s.PullSecrets = "default", nil
		if c.offline.secret != "" {
			s.PullSecrets = []string{c.offline.secret}
		}
	}
	return s
}

// checkAll diagnoses subjects, at most parallel at once.
func (c *Checker) checkAll(ctx context.Context, subjects []Subject, parallel int) []*diagnose.Report {
	if parallel < 1 {
		parallel = DefaultParallel
	}
	reports := make([]*diagnose.Report, len(subjects))
	sem := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	for i, s := range subjects {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			reports[i] = c.Check(ctx, s, nil)
		}()
	}
	wg.Wait()
	return reports
}

// notes say what the run assumed.
func (c *Checker) notes() []string {
	switch {
	case c.offline != nil:
		return []string{"offline: no Kubernetes or IBM Cloud API was called; checked the image references, their domains, " +
			"and the registries with " + c.offline.credentials()}
	case len(c.fixed) > 0:
		return nil
	}
	if _, err := c.readNodes(context.Background()); err != nil {
		return []string{fmt.Sprintf("the cluster's nodes could not be listed (%s): linux/amd64 is assumed unless a pod's node selector names its architecture", safeError(err))}
	}
	return nil
}

func (o *offline) credentials() string {
	if o.secret == "" {
		return "no credentials (anonymous; pass --docker-config for a docker config.json)"
	}
	return "the credentials of --docker-config"
}
