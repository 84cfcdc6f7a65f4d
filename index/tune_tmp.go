package index

// SetTuning is a temporary hook for tuning.
func SetTuning(wordShare float64, keepWords int, bigramShare float64, maxBigrams int, bigramAny float64) {
	pruning.wordShare, pruning.keepWords, pruning.bigramShare, pruning.maxBigrams = wordShare, keepWords, bigramShare, maxBigrams
	weights.bigramAny = bigramAny
}
