package matcher

// Pseudo-relevance feedback. The demand's best few candidates by the
// lexical signals are taken as relevant, and the characters and bigrams
// they share become an expanded picture of what the demand is about: an
// achievement that resembles them gains even where it shares few words with
// the demand itself (a demand for 反刍动物无抗饲料 finds 饲喂系统 through
// the feed achievements ranked first).

// feedback is the expanded picture of a demand.
type feedback struct {
	// units maps a character or bigram to the share of the feedback
	// achievements having it.
	units map[unit]float64
	// ids are the feedback achievements, best first.
	ids []string
}

// newFeedback builds feedback from the profiles of the best candidates.
func newFeedback(ids []string, profiles []*profile) *feedback {
	f := &feedback{units: map[unit]float64{}, ids: ids}
	if len(profiles) == 0 {
		return f
	}
	share := 1 / float64(len(profiles))
	for _, p := range profiles {
		for _, k := range p.keys {
			f.units[k] += share
		}
	}
	return f
}
