package web

// Patterns returns the routes wb serves (after its first request).
func Patterns(wb *Workbench) []string { return wb.patterns }

// ResetMatchCache empties the record pages' match cache (a first view).
func ResetMatchCache(wb *Workbench) { wb.matches.reset() }
