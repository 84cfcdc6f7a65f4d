package server

import "github.com/techmatch/techmatch/data"

// CanSeeContact reports whether tok may see the private contact data of a
// record with meta: the API's rule, exported so that the workbench's pages
// (server/web) show exactly what the API shows.
func CanSeeContact(tok *data.Token, meta *data.Meta) bool { return canSeeContact(tok, meta) }
