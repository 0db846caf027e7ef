package listform

import (
	"errors"
	"math"
	"regexp"
	"strconv"
	"strings"

	"bayu/workflow"
)

// cleanCell trims a cell and undoes what spreadsheets and our own writer add:
// Windows line ends, and the apostrophe that OWASP's advice puts before text
// starting with = + - @ so that no spreadsheet runs it as a formula.
func cleanCell(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.TrimSpace(strings.Trim(s, "\u200b\ufeff"))
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@", rune(s[1])) {
		s = s[1:]
	}
	return s
}

// numberRE matches a number as a spreadsheet stores it in a cell's raw value:
// LibreOffice and Excel write 18225293447, but other writers use 1.8225293447E10
// or 2019.0.
var numberRE = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)

// plainNumber turns a stored number into the digits a person typed, so that a
// phone number kept in a numeric cell reads 18225293447, not 1.8225293447e+10,
// and the year 2019 not 2019.0. Anything else is returned as it is.
func plainNumber(s string) string {
	if !numberRE.MatchString(s) || !strings.ContainsAny(s, ".eE") {
		return s
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v >= 1e15 || v != math.Trunc(v) {
		return s
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// countWords are the measure words people add to a quantity (3件, 1套).
var countWords = []string{"件", "个", "套", "枚", "把", "台", "张", "本", "幅", "块", "组", "副", "只",
	"份", "册", "座", "尊", "支", "条", "双", "对", "顶", "盒", "箱", "卷", "部", "辆", "株", "盆", "面", "串"}

// parseQuantity reads 实际数量: a whole number of at least one, perhaps with a
// measure word. An empty cell means one, as workflow.Fields.Normalize has it.
func parseQuantity(s string) (int, error) {
	s = strings.ReplaceAll(workflow.Fold(s), " ", "")
	if s == "" {
		return 0, nil
	}
	for _, w := range countWords {
		if rest, ok := strings.CutSuffix(s, w); ok {
			s = rest
			break
		}
	}
	v, err := strconv.ParseFloat(plainNumber(s), 64)
	if err != nil || !numberRE.MatchString(s) || v != math.Trunc(v) || v < 1 || v > 1e6 {
		return 0, errors.New("not a count")
	}
	return int(v), nil
}

// methodLabels maps the form's Chinese words for 征集方式, and the code names, to
// the method.
var methodLabels = func() map[string]workflow.Method {
	m := map[string]workflow.Method{}
	for _, method := range workflow.Methods {
		m[method.Label().ZH] = method
		m[string(method)] = method
	}
	return m
}()

// parseMethod reads 征集方式; an empty cell is left for Validate to call required.
func parseMethod(s string) (workflow.Method, bool) {
	if s == "" {
		return "", true
	}
	m, ok := methodLabels[strings.ToLower(strings.ReplaceAll(workflow.Fold(s), " ", ""))]
	return m, ok
}
