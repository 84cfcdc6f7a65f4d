package demo

import (
	"reflect"
	"testing"
)

func TestChallengesValid(t *testing.T) {
	c := GenerateChallenges()
	if len(c.Lists) != 2 || c.Lists[0].Kind == c.Lists[1].Kind || len(c.Challenges) != NumChallenges {
		t.Fatalf("%d lists, %d challenges", len(c.Lists), len(c.Challenges))
	}
	for _, l := range c.Lists {
		if err := l.Validate(); err != nil {
			t.Fatal(err)
		}
	}
	apps := map[string]int{}
	teams := map[string]bool{}
	for _, a := range c.Applications {
		if err := a.Validate(); err != nil {
			t.Fatalf("%s: %v", a.ID, err)
		}
		if teams[a.TeamKey()] {
			t.Fatalf("team applied twice: %s", a.ID)
		}
		teams[a.TeamKey()] = true
		apps[a.ChallengeID]++
	}
	for _, ch := range c.Challenges {
		if err := ch.Validate(); err != nil {
			t.Fatalf("%s: %v", ch.ID, err)
		}
		if apps[ch.ID] == 0 {
			t.Errorf("challenge %s has no application", ch.ID)
		}
	}
	for _, r := range c.Reviews {
		if err := r.Validate(); err != nil {
			t.Fatal(err)
		}
	}
	if c.AwardApplication == "" || len(c.Reviews) == 0 {
		t.Fatal("nothing to award or review")
	}
	if due := c.Challenges[0].Milestones[0].Due; due >= PipelineAsOf.Format("2006-01-02") {
		t.Fatalf("the awarded challenge's first milestone (%s) is not overdue", due)
	}
	if !reflect.DeepEqual(c, GenerateChallenges()) {
		t.Fatal("two runs differ")
	}
}
