package listform

import (
	"strings"
	"unicode"

	"bayu/workflow"
)

// Key identifies an item of a unit's list across imports: the same row sent
// again, perhaps with its valuation or weight corrected, must update the
// exhibit it made the first time instead of making a second one.
//
// The form has no id column a district would keep intact, so the key is made of
// what names an item for the people who fill the form: 展品名称, 来源单位 and
// 联系人. Each is folded to half-width (Ｗ and W, （ and ( are one), lower-cased,
// and stripped of all white space, since Excel and WPS users add and drop
// spaces and line breaks freely. Two items of one unit with the same name, from
// the same holder and contact, are one item; a district that really has two
// names them apart (金牌一, 金牌二). Changing any of the three makes a new item:
// the import cannot tell a renamed item from a new one.
//
// Components hold no white space, so the separator " | " cannot occur inside one.
func Key(f workflow.Fields) string {
	return keyPart(f.Name) + " | " + keyPart(f.SourceUnit) + " | " + keyPart(f.ContactName)
}

func keyPart(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' {
			return -1
		}
		return r
	}, strings.ToLower(workflow.Fold(s)))
}

// diffKeys are the exhibit's JSON field names of the form's columns, in the
// order of itemValues after 序号, and then 征集内容.
var diffKeys = []string{"name", "category", "region", "valuation_text", "description", "era_type", "era",
	"size_cm", "weight_kg", "quantity", "method", "source_unit", "contact_name", "contact_phone",
	"storage_conditions", "content_type"}

// Diff returns the fields in which a and b fill the form's row differently, as
// the exhibit's JSON field names in the form's column order; none when Equal.
func Diff(a, b workflow.Fields) []string {
	a.Normalize()
	b.Normalize()
	va := append(itemValues(0, a)[1:], any(a.ContentType))
	vb := append(itemValues(0, b)[1:], any(b.ContentType))
	var out []string
	for i := range va {
		if va[i] != vb[i] {
			out = append(out, diffKeys[i])
		}
	}
	return out
}

// FieldHeader is the Chinese column header of an exhibit's JSON field name
// (valuation_text → 估值(元）), the name users see in the sheet; the key itself
// when the form has no such column.
func FieldHeader(key string) string {
	if c, ok := fieldColumn[key]; ok {
		return c.header()
	}
	return key
}

// RowsError gathers problems found after parsing (a row that names an item
// twice, a row whose exhibit may no longer change) into the same Error Parse
// returns, sorted as the user reads the sheet; nil when rows is empty.
func RowsError(rows []RowError) error {
	return rowErrors(rows).err()
}
