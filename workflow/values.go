package workflow

import (
	"errors"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/width"
)

// Fold turns full-width letters, digits and punctuation into their half-width
// forms and trims spaces, so that "１．５万" and "1.5万" read the same.
func Fold(s string) string {
	return strings.TrimSpace(width.Fold.String(s))
}

// valuationRE accepts the ways the districts write an amount: an optional hedge
// (约, 估值…), the number, an optional multiplier (万, or its shorthand w), the
// currency, and a trailing hedge (左右, 以上, 余, 整). The hedges are dropped: the
// form asks for an estimate, so "about 3000" is stored as 3000 with the text kept.
var valuationRE = regexp.MustCompile(`^(?:约|大约|估|估值|价值|￥|¥|rmb|RMB|人民币|:)*([0-9][0-9,]*(?:\.[0-9]+)?)(万|千|百|w|W)?(?:余|多)?(?:元|块|人民币|rmb|RMB)*(?:左右|以上|余|整)?$`)

// maxValuation keeps amounts far inside int64 and float64's exact integers.
const maxValuation = 1e13

// ParseValuation reads a valuation as people write it (1万元, 1.5万, 约3000元, 8,000)
// and returns whole yuan.
func ParseValuation(text string) (int64, error) {
	s := strings.Map(dropSpace, Fold(text))
	m := valuationRE.FindStringSubmatch(s)
	if m == nil {
		return 0, errors.New("not a valuation")
	}
	n, err := strconv.ParseFloat(strings.ReplaceAll(m[1], ",", ""), 64)
	if err != nil {
		return 0, err
	}
	switch m[2] {
	case "万", "w", "W":
		n *= 10000
	case "千":
		n *= 1000
	case "百":
		n *= 100
	}
	if n > maxValuation {
		return 0, errors.New("valuation too large")
	}
	return int64(math.Round(n)), nil
}

// ParseSize reads a size in centimetres written as 10×10, 30x20x5 or 30*20*5
// into one to three positive numbers.
func ParseSize(text string) ([]float64, error) {
	s := strings.ToLower(Fold(text))
	s = strings.TrimSuffix(strings.TrimSuffix(s, "cm"), "厘米")
	s = strings.Map(func(r rune) rune {
		switch r {
		case '×', '*', '✕', '✖', '乘':
			return 'x'
		}
		return r
	}, s)
	// Spaces separate the numbers only when no multiplication sign does (30 20 5).
	parts := strings.Fields(s)
	if strings.Contains(s, "x") {
		parts = strings.Split(s, "x")
	}
	if len(parts) == 0 || len(parts) > 3 {
		return nil, errors.New("size must be one to three numbers like 30x20x5")
	}
	dims := make([]float64, len(parts))
	for i, p := range parts {
		// A unit may follow each number (30cm×20cm) or only the last one.
		p = strings.TrimSuffix(strings.TrimSuffix(strings.TrimSpace(p), "cm"), "厘米")
		v, err := strconv.ParseFloat(p, 64)
		if err != nil || !isDecimal(p) || v <= 0 || v > 1e6 {
			return nil, errors.New("size must be positive numbers like 30x20x5")
		}
		dims[i] = v
	}
	return dims, nil
}

// weightUnits maps a unit to kilograms; the longest suffix is tried first so
// that 千克 is not read as 克.
var weightUnits = []struct {
	suffix string
	kg     float64
}{
	{"kg", 1}, {"千克", 1}, {"公斤", 1}, {"公吨", 1000}, {"吨", 1000}, {"t", 1000},
	{"克", 0.001}, {"g", 0.001}, {"斤", 0.5},
}

// maxWeightKG is far above any exhibit (a heavy machine tool is some tens of tonnes)
// and keeps nonsense such as 1e300 out.
const maxWeightKG = 1e6

// ParseWeight reads a weight as people write it (0.5, 0.5kg, 500g, 2公斤, 约1.2吨)
// and returns kilograms; a bare number is already in kilograms, the form's unit.
func ParseWeight(text string) (float64, error) {
	s := strings.ToLower(strings.Map(dropSpace, Fold(text)))
	for _, hedge := range []string{"大约", "约"} {
		s = strings.TrimPrefix(s, hedge)
	}
	s = strings.TrimSuffix(s, "左右")
	factor := 1.0
	for _, u := range weightUnits {
		if rest, ok := strings.CutSuffix(s, u.suffix); ok {
			s, factor = rest, u.kg
			break
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || !isDecimal(s) || v < 0 {
		return 0, errors.New("weight must be a number of kilograms like 0.5, 0.5kg or 500g")
	}
	v *= factor
	if v > maxWeightKG {
		return 0, errors.New("weight too large")
	}
	return v, nil
}

// isDecimal rejects what strconv.ParseFloat accepts but no person means by a
// measure: inf, nan, hex floats, exponents and underscores.
func isDecimal(s string) bool {
	dot := false
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
		case r == '.' && !dot && i > 0:
			dot = true
		default:
			return false
		}
	}
	return s != "" && !strings.HasSuffix(s, ".")
}

// dropSpace removes every kind of space, as a strings.Map function.
func dropSpace(r rune) rune {
	if unicode.IsSpace(r) {
		return -1
	}
	return r
}

var phoneRE = regexp.MustCompile(`^(\+?86[- ]?)?(1[3-9][0-9]{9}|0[0-9]{2,3}[- ]?[0-9]{7,8}([- ][0-9]{1,6})?|[2-9][0-9]{6,7})$`)

// mobileRE is a mobile number once its grouping is removed: people write
// 182 2529 3447 or 182-2529-3447 as often as 18225293447.
var mobileRE = regexp.MustCompile(`^(\+?86)?1[3-9][0-9]{9}$`)

// ValidPhone reports whether s looks like a Chinese mobile or landline number.
func ValidPhone(s string) bool {
	s = Fold(s)
	if phoneRE.MatchString(s) {
		return true
	}
	bare := strings.Map(func(r rune) rune {
		if r == '-' || unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
	if mobileRE.MatchString(bare) {
		return true
	}
	// (023)12345678 and (023) 1234-5678 are landlines with the area code in brackets.
	if rest, ok := strings.CutPrefix(bare, "("); ok {
		if code, num, ok := strings.Cut(rest, ")"); ok {
			return phoneRE.MatchString(code + "-" + num)
		}
	}
	return false
}
