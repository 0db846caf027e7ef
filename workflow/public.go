package workflow

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// What the public sees. The gallery and the submission receipt need no login,
// so they show no personal data: never the contact fields, and in the text
// they do show (names, descriptions) every contact name and phone number the
// data holds is hidden, with anything else that looks like a phone number.
// A holder often writes the craftsman's name into the description (the
// notice's own example row does), so leaving out the fields is not enough.

// hidden replaces a name or a number: always the same width, so the mask says
// nothing about how long the hidden text was.
const hidden = "＊＊"

// Redactor hides a fixed set of terms, and phone numbers, in text.
type Redactor struct {
	r *strings.Replacer
}

// NewRedactor hides each of terms: contact names of at least two characters
// and phone numbers of at least five. Shorter ones would hide ordinary words.
func NewRedactor(terms []string) *Redactor {
	keep := make([]string, 0, len(terms))
	seen := map[string]bool{}
	for _, t := range terms {
		t = strings.TrimSpace(t)
		if seen[t] || utf8.RuneCountInString(t) < 2 || (isDigits(t) && len(t) < 5) {
			continue
		}
		seen[t] = true
		keep = append(keep, t)
	}
	// strings.Replacer tries the terms in argument order at each position: the
	// longest first, so 李明亮 is hidden whole, not as 李明 and a leftover 亮.
	sort.Slice(keep, func(i, j int) bool {
		if len(keep[i]) != len(keep[j]) {
			return len(keep[i]) > len(keep[j])
		}
		return keep[i] < keep[j]
	})
	pairs := make([]string, 0, 2*len(keep))
	for _, t := range keep {
		pairs = append(pairs, t, hidden)
	}
	return &Redactor{r: strings.NewReplacer(pairs...)}
}

// Text returns s with the terms and every phone-like number hidden.
func (r *Redactor) Text(s string) string {
	if r != nil && r.r != nil {
		s = r.r.Replace(s)
	}
	return phoneInText.ReplaceAllString(s, hidden)
}

func isDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}
