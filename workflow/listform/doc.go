// Package listform reads and writes the official list form of the notice
// 渝高技办〔2022〕8号, 附件 “巴渝工匠”绝技绝活展品征集项目清单: a title row, sixteen
// column headers, an example row marked 例, one row per item and a footer line
// 推荐单位（盖章）/ 联系人 / 联系电话.
//
// Districts fill the form in Excel or WPS, so Parse is tolerant of how people
// and their programs write it (headers in any order and spelling, numbers stored
// as text and text as numbers, 1万元 and 500g) and strict about what the workflow
// needs (every row validated as workflow.Fields, every problem reported at
// once with its sheet row and Chinese column header). It is also careful with
// hostile files: sizes and counts are checked before anything is inflated.
//
// Write and Template produce the same form, so an exported list imports back
// unchanged. The package knows nothing of HTTP or the database; callers move
// the bytes.
package listform
