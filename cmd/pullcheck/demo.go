package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/pullcheck/pullcheck/diagnose"
	"github.com/pullcheck/pullcheck/diagnose/sandbox"
)

// runDemo diagnoses every sandbox workload, or one in full.
func runDemo(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) > 1 {
		return usagef("demo takes at most one workload (example: pullcheck demo shop)")
	}
	dm, err := sandbox.NewDemo()
	if err != nil {
		return fmt.Errorf("starting the sandbox: %w", err)
	}
	defer dm.Close()
	if len(args) == 1 {
		c, err := dm.Find(args[0])
		if err != nil {
			return usagef("%v", err)
		}
		fmt.Fprintf(stdout, "Sandbox workload %q: %s\n", c.Name, c.Title)
		return diagnoseAndPrint(ctx, c.World.Engine(), c.Request, "text", stdout)
	}
	fmt.Fprintf(stdout, "pullcheck demo: %d workloads in a sandbox (an emulated IBM Cloud account, icr.io registries and a simulated cluster; no network needed)\n\n", len(dm.Cases))
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	unexpected := 0
	for i, rep := range dm.Run(ctx) {
		c := dm.Cases[i]
		got := verdictID(rep)
		note := ""
		if got != c.Expect {
			unexpected++
			note = fmt.Sprintf("  UNEXPECTED: want %s", orFine(c.Expect))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s%s\n", mark(rep), rep.Request, orFine(got), summary(rep), note)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nEach line is the full diagnosis chain (%d checks) against one workload. See one in full: pullcheck demo shop\n", len(diagnose.Catalogue))
	if unexpected > 0 {
		return fmt.Errorf("%d sandbox workloads got an unexpected verdict", unexpected)
	}
	return nil
}

func verdictID(rep *diagnose.Report) diagnose.FindingID {
	if rep.RootCause != nil {
		return rep.RootCause.ID
	}
	if rep.Verdict == diagnose.VerdictUnproved {
		return "inconclusive"
	}
	return ""
}

func orFine(id diagnose.FindingID) string {
	if id == "" {
		return "pulls fine"
	}
	return string(id)
}

func mark(rep *diagnose.Report) string {
	switch rep.Verdict {
	case diagnose.PullsFine:
		return diagnose.Pass.Mark()
	case diagnose.RootCauseFound:
		return diagnose.Fail.Mark()
	}
	return diagnose.Inconclusive.Mark()
}

func summary(rep *diagnose.Report) string {
	if rep.RootCause != nil {
		return rep.RootCause.Summary
	}
	for _, r := range rep.Results {
		if r.Status == diagnose.Warn {
			return "warning: " + r.Summary
		}
	}
	return ""
}
