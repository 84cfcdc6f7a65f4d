// Package data is techmatch's domain: research achievements (科技成果), enterprise
// technology demands (技术需求), their validation, the error codes every layer
// shares, and the interfaces through which the server, the matcher and the
// indexes reach the store and each other.
//
// It imports nothing but the standard library. Each dependency lives in a
// package of its own beneath or beside it: data/bolt is the bbolt store that is
// the source of truth, index/ holds the bleve indexes derived from it.
package data
