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

var valuationRE = regexp.MustCompile(`^(?:约|大约|估|估值|价值|￥|¥|rmb|RMB|人民币)*\s*([0-9][0-9,]*(?:\.[0-9]+)?)\s*(万|千|百)?\s*(?:元|块|人民币|rmb|RMB)?\s*(?:左右|以上|余)?$`)

// ParseValuation reads a valuation as people write it (1万元, 1.5万, 约3000元, 8,000)
// and returns whole yuan.
func ParseValuation(text string) (int64, error) {
	s := strings.ReplaceAll(Fold(text), " ", "")
	m := valuationRE.FindStringSubmatch(s)
	if m == nil {
		return 0, errors.New("not a valuation")
	}
	n, err := strconv.ParseFloat(strings.ReplaceAll(m[1], ",", ""), 64)
	if err != nil {
		return 0, err
	}
	switch m[2] {
	case "万":
		n *= 10000
	case "千":
		n *= 1000
	case "百":
		n *= 100
	}
	if n > 1e13 {
		return 0, errors.New("valuation too large")
	}
	return int64(math.Round(n)), nil
}

// ParseSize reads a size in centimetres written as 10×10, 30x20x5 or 30*20*5
// into one to three positive numbers.
func ParseSize(text string) ([]float64, error) {
	s := strings.ToLower(Fold(text))
	s = strings.TrimSuffix(strings.TrimSuffix(s, "cm"), "厘米")
	parts := strings.FieldsFunc(s, func(r rune) bool {
		return r == 'x' || r == '×' || r == '*' || r == '✕' || r == '乘' || unicode.IsSpace(r)
	})
	if len(parts) == 0 || len(parts) > 3 {
		return nil, errors.New("size must be one to three numbers like 30x20x5")
	}
	dims := make([]float64, len(parts))
	for i, p := range parts {
		v, err := strconv.ParseFloat(strings.TrimSuffix(p, "cm"), 64)
		if err != nil || v <= 0 || math.IsInf(v, 0) || math.IsNaN(v) {
			return nil, errors.New("size must be positive numbers like 30x20x5")
		}
		dims[i] = v
	}
	return dims, nil
}

var phoneRE = regexp.MustCompile(`^(\+?86[- ]?)?(1[3-9][0-9]{9}|0[0-9]{2,3}[- ]?[0-9]{7,8}([- ][0-9]{1,6})?|[2-9][0-9]{6,7})$`)

// ValidPhone reports whether s looks like a Chinese mobile or landline number.
func ValidPhone(s string) bool {
	return phoneRE.MatchString(Fold(s))
}
