// Package plan holds the event-planning algorithms: roadshow lineups
// (lazy greedy coverage of the registered demands), salon schedules (a
// max-weight b-matching by min-cost flow, then slots by bipartite edge
// colouring and tables) and independent validators of both. It works on
// precomputed scores only and imports nothing but the domain (data).
package plan
