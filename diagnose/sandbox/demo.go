package sandbox

import (
	"context"
	"fmt"
	"slices"

	"github.com/pullcheck/pullcheck/diagnose"
)

// Demo is the sandbox the product's demo runs: the main cluster with every
// scenario, a fresh cluster and a private-only cluster for those that need
// one.
type Demo struct {
	Main, Fresh, Private *World
	Cases                []Case
}

// Case is one scenario built in a world.
type Case struct {
	Scenario
	Request diagnose.Request
	World   *World
}

// NewDemo builds every scenario. Close it when done.
func NewDemo(opts ...Option) (*Demo, error) {
	dm := &Demo{}
	with := func(o Option) []Option { return append(slices.Clone(opts), o) }
	var err error
	if dm.Main, err = NewWorld(opts...); err == nil {
		if dm.Fresh, err = NewWorld(with(WithoutClusterPullSecret())...); err == nil {
			dm.Private, err = NewWorld(with(WithPrivateOnlyCluster())...)
		}
	}
	if err != nil {
		dm.Close()
		return nil, err
	}
	for _, s := range Scenarios {
		w := dm.worldFor(s)
		pod := s.Build(w)
		dm.Cases = append(dm.Cases, Case{Scenario: s, Request: diagnose.Request{Namespace: s.Name, Pod: pod}, World: w})
	}
	return dm, nil
}

// worldFor returns the world a scenario needs.
func (dm *Demo) worldFor(s Scenario) *World {
	switch {
	case s.PrivateCluster:
		return dm.Private
	case s.Fresh:
		return dm.Fresh
	}
	return dm.Main
}

// Close stops every world.
func (dm *Demo) Close() {
	for _, w := range []*World{dm.Main, dm.Fresh, dm.Private} {
		if w != nil {
			w.Close()
		}
	}
}

// Find returns the case diagnosing namespace/pod or the scenario named name.
func (dm *Demo) Find(name string) (Case, error) {
	for _, c := range dm.Cases {
		if c.Name == name || c.Request.String() == name {
			return c, nil
		}
	}
	return Case{}, fmt.Errorf("no sandbox workload %q (run 'pullcheck demo' for the list)", name)
}

// Run diagnoses every case, each with its world's engine.
func (dm *Demo) Run(ctx context.Context) []*diagnose.Report {
	engines := map[*World]*diagnose.Engine{dm.Main: dm.Main.Engine(), dm.Fresh: dm.Fresh.Engine(), dm.Private: dm.Private.Engine()}
	reps := make([]*diagnose.Report, len(dm.Cases))
	for i, c := range dm.Cases {
		reps[i] = engines[c.World].Diagnose(ctx, c.Request, nil)
	}
	return reps
}
