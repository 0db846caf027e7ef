package listform

import (
	"regexp"
	"strings"

	"bayu/workflow"
)

// The footer line of the notice's form reads
//
//	推荐单位（盖章）：            联系人：            联系电话：
//
// and districts fill it in every way a sheet allows: all in one merged cell,
// each label in its own cell with the value in the next, values after the
// colon, or on two lines. Parse joins the footer's cells and cuts the text at
// the labels.
var footerLabelRE = regexp.MustCompile(`(推荐单位|填报单位|报送单位)(\((盖章|公章)\))?|联系人|联系电话|联系方式|电话`)

// isFooter tells whether a row whose first filled cell is s starts the footer.
func isFooter(s string) bool {
	s = headerKey(s)
	for _, p := range []string{"推荐单位", "填报单位", "报送单位"} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// parseFooter reads the unit, contact and phone out of the footer's cells.
func parseFooter(cells []string) UnitInfo {
	text := workflow.Fold(strings.Join(cells, "\n"))
	var u UnitInfo
	matches := footerLabelRE.FindAllStringIndex(text, -1)
	for i, m := range matches {
		end := len(text)
		if i+1 < len(matches) {
			end = matches[i+1][0]
		}
		value := footerValue(text[m[1]:end])
		switch label := text[m[0]:m[1]]; {
		case label == "联系人":
			u.ContactName = first(u.ContactName, value)
		case strings.Contains(label, "电话") || label == "联系方式":
			u.ContactPhone = first(u.ContactPhone, value)
		default:
			u.Name = first(u.Name, value)
		}
	}
	return u
}

// footerValue strips what stands between a label and its value: colons, the
// underscores printed forms use as blanks, spaces and line breaks.
func footerValue(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return strings.Trim(s, " :_")
}

func first(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// footerCells are the footer's three texts as Write puts them in the sheet.
func footerCells(u UnitInfo) [3]string {
	return [3]string{
		"推荐单位（盖章）：" + u.Name,
		"联系人：" + u.ContactName,
		"联系电话：" + u.ContactPhone,
	}
}
