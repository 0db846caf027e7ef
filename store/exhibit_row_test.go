package store

import (
	"reflect"
	"strings"
	"testing"
)

// The positional scan must put every column into its own field: targets lists
// the fields in struct order, and exhibitColumns must name their columns in it.
func TestExhibitTargetsFollowTheColumns(t *testing.T) {
	var r exhibitRow
	targets := r.targets()
	columns := strings.Split(exhibitColumns, ",")
	typ := reflect.TypeOf(r)
	if len(targets) != typ.NumField() || len(columns) != typ.NumField() {
		t.Fatalf("%d targets, %d columns, %d fields", len(targets), len(columns), typ.NumField())
	}
	v := reflect.ValueOf(&r).Elem()
	for i := range typ.NumField() {
		f := typ.Field(i)
		if got := strings.TrimSpace(columns[i]); got != f.Tag.Get("db") {
			t.Errorf("column %d is %s, field %s is %s", i, got, f.Name, f.Tag.Get("db"))
		}
		if reflect.ValueOf(targets[i]).Pointer() != v.Field(i).Addr().Pointer() {
			t.Errorf("target %d does not point at field %s", i, f.Name)
		}
	}
}
