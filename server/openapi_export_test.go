package server

// Exported for the tests of package server_test.
var (
	DescribedHeaders = describedHeaders
	ExampleText      = exampleText
)

type RecordedExample = recorded
