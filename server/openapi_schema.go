package server

import (
	"encoding"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
)

// schemaGen turns Go types into OpenAPI 3.1 (JSON Schema 2020-12) schemas
// by reflection over their json tags, honestly: a field without omitempty
// or omitzero is required; a nil slice, map or pointer without omitempty
// encodes as null, so its schema admits null.
type schemaGen struct {
	comps openapi3.Schemas
	names map[reflect.Type]string
	errs  []string
	// input describes request bodies: no field is required by the shape
	// (the validators name what is missing, in Chinese), and components
	// are named with the suffix Input.
	input bool
}

func newSchemaGen() *schemaGen {
	return &schemaGen{comps: openapi3.Schemas{}, names: map[reflect.Type]string{}}
}

// inputs is a generator of request body schemas sharing g's components.
func (g *schemaGen) inputs() *schemaGen {
	return &schemaGen{comps: g.comps, names: map[reflect.Type]string{}, input: true}
}

var (
	timeType      = reflect.TypeFor[time.Time]()
	rawType       = reflect.TypeFor[json.RawMessage]()
	marshalerType = reflect.TypeFor[json.Marshaler]()
	textType      = reflect.TypeFor[encoding.TextMarshaler]()
)

// typeOf is the type of v, a zero value or a pointer to one.
func typeOf(v any) reflect.Type {
	t := reflect.TypeOf(v)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// body is the schema of a whole request or response body of v's type.
func (g *schemaGen) body(v any) *openapi3.SchemaRef { return g.schema(typeOf(v)) }

// schema is the schema of a non-null value of t.
func (g *schemaGen) schema(t reflect.Type) *openapi3.SchemaRef {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == timeType:
		return inline(&openapi3.Schema{Type: &openapi3.Types{"string"}, Format: "date-time"})
	case t == rawType:
		return inline(&openapi3.Schema{Description: "任意 JSON"})
	}
	if w, ok := wireTypes[t]; ok {
		return g.named(t, func() *openapi3.Schema { return g.object(w) })
	}
	if t.Kind() == reflect.Struct && (t.Implements(marshalerType) || reflect.PointerTo(t).Implements(marshalerType) || t.Implements(textType)) {
		if !sameFields[t] && !describedOnly[t] {
			g.errs = append(g.errs, fmt.Sprintf("%s has its own MarshalJSON: add its wire shape to wireTypes (or sameFields) in server/openapi.go", t))
		}
	}
	switch t.Kind() {
	case reflect.String:
		return inline(&openapi3.Schema{Type: &openapi3.Types{"string"}})
	case reflect.Bool:
		return inline(&openapi3.Schema{Type: &openapi3.Types{"boolean"}})
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return inline(&openapi3.Schema{Type: &openapi3.Types{"integer"}})
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return inline(&openapi3.Schema{Type: &openapi3.Types{"integer"}, Min: openapi3.Ptr(0.0)})
	case reflect.Float32, reflect.Float64:
		return inline(&openapi3.Schema{Type: &openapi3.Types{"number"}})
	case reflect.Interface:
		return inline(&openapi3.Schema{Description: "任意 JSON"})
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return inline(&openapi3.Schema{Type: &openapi3.Types{"string"}, Format: "byte"})
		}
		return inline(&openapi3.Schema{Type: &openapi3.Types{"array"}, Items: g.field(t.Elem(), false)})
	case reflect.Map:
		return inline(&openapi3.Schema{Type: &openapi3.Types{"object"},
			AdditionalProperties: openapi3.AdditionalProperties{Schema: g.field(t.Elem(), false)}})
	case reflect.Struct:
		if t.Name() == "" {
			return inline(g.object(t))
		}
		return g.named(t, func() *openapi3.Schema { return g.object(t) })
	}
	g.errs = append(g.errs, fmt.Sprintf("cannot describe %s", t))
	return inline(&openapi3.Schema{})
}

// field is the schema of a value of t that may also be null when
// nullable is set (a nil slice, map or pointer is encoded as null).
func (g *schemaGen) field(t reflect.Type, omitted bool) *openapi3.SchemaRef {
	s := g.schema(t)
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface:
	default:
		return s
	}
	if omitted || g.input || t == rawType || t.Kind() == reflect.Interface {
		return s
	}
	if s.Ref != "" {
		return inline(&openapi3.Schema{AnyOf: openapi3.SchemaRefs{s, inline(&openapi3.Schema{Type: &openapi3.Types{"null"}})}})
	}
	*s.Value.Type = append(*s.Value.Type, "null")
	return s
}

func inline(s *openapi3.Schema) *openapi3.SchemaRef { return &openapi3.SchemaRef{Value: s} }

// named returns a $ref to the component of t, describing it on first use.
func (g *schemaGen) named(t reflect.Type, describe func() *openapi3.Schema) *openapi3.SchemaRef {
	name, ok := g.names[t]
	if !ok {
		name = componentName(t)
		if g.input {
			name += "Input"
		}
		for taken := true; taken; {
			taken = false
			for other, n := range g.names {
				if n == name && other != t {
					name, taken = pkgName(t)+"."+name, true
				}
			}
		}
		g.names[t] = name
		g.comps[name] = inline(&openapi3.Schema{}) // placeholder for cycles
		g.comps[name].Value = describe()
	}
	return &openapi3.SchemaRef{Ref: "#/components/schemas/" + name}
}

// componentName is t's name; a generic type is named by its type
// arguments too (list[data.Event] → EventList).
func componentName(t reflect.Type) string {
	n := t.Name()
	base, args, ok := strings.Cut(n, "[")
	if !ok {
		return n
	}
	var b strings.Builder
	for _, a := range strings.Split(strings.TrimSuffix(args, "]"), ",") {
		a = a[strings.LastIndexByte(a, '.')+1:]
		b.WriteString(strings.ToUpper(a[:1]) + a[1:])
	}
	return b.String() + strings.ToUpper(base[:1]) + base[1:]
}

func pkgName(t reflect.Type) string {
	p := t.PkgPath()
	return p[strings.LastIndexByte(p, '/')+1:]
}

// object describes a struct's fields, embedded structs flattened as
// encoding/json does.
func (g *schemaGen) object(t reflect.Type) *openapi3.Schema {
	s := &openapi3.Schema{Type: &openapi3.Types{"object"}, Properties: openapi3.Schemas{}}
	g.fields(t, s)
	sort.Strings(s.Required)
	if sameFields[t] {
		s.Description = "另可带本版本未知的附加字段（原样保存、导出）"
	}
	return s
}

func (g *schemaGen) fields(t reflect.Type, s *openapi3.Schema) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		ft := f.Type
		if f.Anonymous && name == "" {
			et := ft
			if et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			if et.Kind() == reflect.Struct {
				g.fields(et, s)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		omitted := strings.Contains(opts, "omitempty") || strings.Contains(opts, "omitzero")
		if strings.Contains(opts, "string") {
			s.Properties[name] = inline(&openapi3.Schema{Type: &openapi3.Types{"string"}})
		} else {
			s.Properties[name] = g.field(ft, omitted)
		}
		if e := f.Tag.Get("enum"); e != "" {
			for _, v := range strings.Split(e, ",") {
				s.Properties[name].Value.Enum = append(s.Properties[name].Value.Enum, v)
			}
		}
		if !omitted && !g.input {
			s.Required = append(s.Required, name)
		}
	}
}
