package web

// Patterns returns the routes wb serves (after its first request).
func Patterns(wb *Workbench) []string { return wb.patterns }
