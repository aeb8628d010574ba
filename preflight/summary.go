package preflight

import "github.com/pullcheck/pullcheck/diagnose"

// Finding is the verdict of one container, as its diagnosis concludes it.
type Finding struct {
	Verdict diagnose.Verdict
	// Cause is the root cause, or for an inconclusive diagnosis the first
	// check that could not decide; nil when the image pulls.
	Cause *diagnose.Result
	// Warnings are the results that warn.
	Warnings []diagnose.Result
}

// finding sums a report up for its containers.
func finding(rep *diagnose.Report) Finding {
	f := Finding{Verdict: rep.Verdict, Cause: rep.RootCause}
	for i, r := range rep.Results {
		switch {
		case r.Status == diagnose.Warn:
			f.Warnings = append(f.Warnings, r)
		case r.Status == diagnose.Inconclusive && f.Cause == nil && rep.Verdict == diagnose.VerdictUnproved:
			f.Cause = &rep.Results[i]
		}
	}
	return f
}

// inconclusive are the checks that left a report unproved.
func inconclusive(rep *diagnose.Report) []diagnose.Result {
	if rep.Verdict != diagnose.VerdictUnproved {
		return nil
	}
	var out []diagnose.Result
	for _, r := range rep.Results {
		if r.Status == diagnose.Inconclusive {
			out = append(out, r)
		}
	}
	return out
}

// Counts tally the containers by verdict.
type Counts struct {
	Containers   int `json:"containers"`
	Workloads    int `json:"workloads"`
	Diagnoses    int `json:"diagnoses"`
	PullsFine    int `json:"pulls_fine"`
	RootCause    int `json:"root_cause"`
	Inconclusive int `json:"inconclusive"`
}

// Counts tallies the run.
func (r *Run) Counts() Counts {
	c := Counts{Containers: len(r.Checked), Workloads: r.Manifests.Workloads(), Diagnoses: len(r.Reports)}
	for _, ch := range r.Checked {
		switch r.Report(ch).Verdict {
		case diagnose.PullsFine:
			c.PullsFine++
		case diagnose.RootCauseFound:
			c.RootCause++
		default:
			c.Inconclusive++
		}
	}
	return c
}
