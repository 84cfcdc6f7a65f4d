// Package bolt is techmatch's store, on go.etcd.io/bbolt: the source of truth
// for both catalogues, the change sequence the indexes follow, and API tokens.
//
// Layout of the file (one bucket each):
//
//	achievements  id → Achievement JSON
//	demands       id → Demand JSON
//	changes       seq (8 bytes, big endian) → Change JSON; one entry per record,
//	              the latest: older entries of the same record are removed
//	changeids     kind/id → seq of that record's entry in changes
//	tokens        sha256(secret) hex → Token JSON
//	meta          counters: seq, achievements, demands
//
// Every write runs in one bbolt transaction, so a batch is stored whole or
// not at all, and the sequence increases by one for every record written.
package bolt
