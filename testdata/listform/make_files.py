#!/usr/bin/python3
"""Makes the LibreOffice-written test files of workflow/listform.

Run with the system Python that has the UNO bridge (Debian: libreoffice-calc,
python3-uno), from the repository root:

    soffice --headless --norestore --accept='pipe,name=bayu;urp;' &
    /usr/bin/python3 testdata/listform/make_files.py /tmp/lo/template.xlsx /tmp/lo/export.xlsx

template.xlsx is listform.Template's output and export.xlsx a listform.Write
export with formula-looking text (see README.md). Every file this script saves
is written by LibreOffice Calc itself: cells are set through the UNO API as a
person would type them, numbers as numbers (setValue) and text as text
(setString), and the document is stored by Calc's own export filters.
"""

import os
import sys

import uno
from com.sun.star.beans import PropertyValue

OUT = os.path.dirname(os.path.abspath(__file__))


def pv(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def connect():
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    ctx = resolver.resolve("uno:pipe,name=bayu;urp;StarOffice.ComponentContext")
    return ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)


def load(desktop, path):
    url = uno.systemPathToFileUrl(os.path.abspath(path)) if path else "private:factory/scalc"
    return desktop.loadComponentFromURL(url, "_blank", 0, (pv("Hidden", True),))


def store(doc, name, filter_name, *extra):
    doc.storeToURL(uno.systemPathToFileUrl(os.path.join(OUT, name)), (pv("FilterName", filter_name),) + extra)


def put(sheet, col, row, value):
    """Types one value: numbers as numbers, strings as text, None leaves the cell."""
    if value is None:
        return
    cell = sheet.getCellByPosition(col, row)
    if isinstance(value, (int, float)):
        cell.setValue(float(value))
    else:
        cell.setString(value)


def put_row(sheet, row, values, first_col=0):
    for i, v in enumerate(values):
        put(sheet, first_col + i, row, v)


XLSX = "Calc MS Excel 2007 XML"

# Rows of lo-filled: sheet rows 4.. of the template (0-based 3..); row 8 is left empty.
FILLED = [
    [1, "世赛金牌", "奖牌", "俄罗斯", "1万元", "梁攀参加第45届世赛电子技术项目夺得冠军获得金牌", "制造年代", 2019,
     "10×10", 0.5, 1, "寄存", "铁路运输技师学院", "梁攀", 18225293447, "干燥"],
    [2, "蜀绣《熊猫》", "刺绣", "重庆渝中", "1.5万", "非遗传承人手工蜀绣作品，\n历时八个月完成", "创作年代", 2021,
     "60x40x3", "0.5kg", "1", "捐赠", "渝中区非遗保护中心", "陈敏", 13983001234, "避光防潮"],
    [3, "老式皮带车床", "机床", "重庆九龙坡", "约3000元", "1958年重庆机床厂生产的皮带车床", "制造年代", "1950年代",
     "180*80*120", 1200, 1, "复制", "重庆机床厂", "李建国", "023-68801234", "干燥通风"],
    [4, "技能大赛奖杯", "奖杯", "重庆", 8000, "第一届全国技能大赛团体一等奖奖杯", "获奖年代", 2020,
     "30x20x5", "500g", 2, "寄售", "重庆工业职业技术学院", "刘洋", 13800138000, "干燥"],
    None,
    [5, "八级工证书", "证书", "重庆", "2000", "父亲1962年获得的八级钳工证书", "颁发年代", "民国",
     "20×15", 0.05, "1件", "寄存", "个人", "周强", "139 8300 5678", "干燥"],
]

FAULTY = [
    [1, "世赛银牌", "奖牌", "巴西", "5000", "第44届世赛银牌", "制造年代", 2017, "10×10", 0.4, 1, "寄存",
     "铁路运输技师学院", "张伟", 13900001111, "干燥"],
    [2, "木雕", "雕刻", "重庆", "3000", "手工木雕", "创作年代", 2018, "20x20", 1, 1, "赠送",
     "个人", "王明", 13900002222, "干燥"],
    [3, "竹编", "编织", "梁平", "800", "梁平竹帘", "创作年代", 2019, "50x30", 0.2, 1, "捐赠",
     "梁平竹帘厂", "李红", 12345, "干燥"],
    [4, None, "陶器", "荣昌", "1200", "荣昌陶", "制造年代", 2020, "15x15x20", 0.8, 1, "寄存",
     "荣昌陶器厂", "赵四", 13900004444, "干燥"],
    [5, "夏布", "织品", "荣昌", "面议", "荣昌夏布", "制造年代", 2021, "大约一尺", 0.3, 1, "寄存",
     "荣昌夏布厂", "钱五", 13900005555, "干燥"],
    [6, "数控铣床模型", "模型", "重庆", "2万", "数控铣床模型", "制造年代", 2015, "40x30x30", "很重", 0, "复制",
     "重庆机电职业技术大学", "孙六", 13900006666, "干燥"],
    [7, "老照片", "照片"],
]


def filled(desktop, template):
    doc = load(desktop, template)
    sheet = doc.Sheets.getByIndex(0)
    # The notice prints 征集方式 over two lines; a district copying it does the same.
    put(sheet, 11, 1, "征集\n方式")
    for i, row in enumerate(FILLED):
        if row:
            put_row(sheet, 3 + i, row)
    # Footer (row 25): the unit and contact in their merged cells, the phone
    # typed as a number into a cell of its own after the label.
    put(sheet, 0, 24, "推荐单位（盖章）：重庆市九龙坡区人力资源和社会保障局")
    put(sheet, 6, 24, "联系人：王芳")
    sheet.getCellRangeByName("L25:P25").merge(False)
    put(sheet, 11, 24, "联系电话：")
    put(sheet, 12, 24, 13896001122)
    store(doc, "lo-filled.xlsx", XLSX)
    store(doc, "lo-filled.xls", "MS Excel 97")
    store(doc, "lo-filled.ods", "calc8")
    doc.close(True)


def faulty(desktop, template):
    doc = load(desktop, template)
    sheet = doc.Sheets.getByIndex(0)
    for i, row in enumerate(FAULTY):
        put_row(sheet, 3 + i, row)
    put(sheet, 0, 24, "推荐单位（盖章）：重庆市荣昌区人力资源和社会保障局")
    store(doc, "lo-faulty.xlsx", XLSX)
    doc.close(True)


def scratch(desktop):
    """A list laid out by hand in a new Calc document, not from our template:
    title merged over B1:S1, a blank row, headers in row 3 from column B with
    full-width brackets and two extra columns, a date typed as 年代, and the
    footer spread over label and value cells."""
    doc = load(desktop, None)
    sheet = doc.Sheets.getByIndex(0)
    put(sheet, 1, 0, "“巴渝工匠”绝技绝活展品征集项目清单")
    sheet.getCellRangeByName("B1:S1").merge(True)
    headers = ["序号", "展品名称", "展品类别", "地域", "估值（元）", "展品描述", "年代类型", "年代", "尺寸（cm）",
               "重量（kg）", "实际数量", "征集方式", "来源单位", "联系人", "联系电话", "存储条件", "征集内容", "推荐单位"]
    put_row(sheet, 2, headers, first_col=1)
    put_row(sheet, 3, ["例", "世赛金牌", "奖牌", "俄罗斯", "1万元", "…", "制造年代", 2019, "10×10", 0.5, 1, "寄存",
                       "铁路运输技师学院", "梁攀", "XXXXXXX", "干燥", "", ""], first_col=1)
    methods = ["捐赠", "寄存", "复制", "寄售"]
    contents = ["craft_work", "技术进步历史实物/文献", "production_equipment", "竞赛获奖作品/奖牌/工具/文创", ""]
    for n in range(1, 31):
        put_row(sheet, 3 + n, [
            n, "展品%d" % n, "工艺品", "重庆", 1000 * n, "第%d件展品的描述" % n, "制造年代", 1990 + n,
            "%dx%d" % (n, n + 1), n / 10, n % 3 + 1, methods[n % 4], "单位%d" % n, "联系人%d" % n,
            13800000000 + n, "干燥", contents[n % 5], "渝北区"], first_col=1)
    # Row 31 (n = 28): 年代 typed as a date and shown as one.
    date = sheet.getCellByPosition(8, 31)
    date.setValue(43586.0)  # 2019-05-01
    formats, locale = doc.NumberFormats, uno.createUnoStruct("com.sun.star.lang.Locale")
    key = formats.queryKey("YYYY-MM-DD", locale, False)
    if key == -1:
        key = formats.addNew("YYYY-MM-DD", locale)
    date.NumberFormat = key
    put_row(sheet, 35, ["推荐单位（盖章）：", "重庆市渝北区人力资源和社会保障局", None, None, None, None,
                        "联系人：", "赵六", None, None, None, "联系电话：", 13600001111], first_col=1)
    store(doc, "lo-scratch.xlsx", XLSX)
    doc.close(True)


def resaved(desktop, export):
    """Our own export, opened and saved again by Calc: the formula-looking text
    must still be text, which the CSV shows (a formula would show its result)."""
    doc = load(desktop, export)
    store(doc, "lo-resaved-export.xlsx", XLSX)
    store(doc, "lo-resaved-export.csv", "Text - txt - csv (StarCalc)", pv("FilterOptions", "44,34,76,1"))
    doc.close(True)


def main():
    template, export = sys.argv[1], sys.argv[2]
    desktop = connect()
    filled(desktop, template)
    faulty(desktop, template)
    scratch(desktop)
    resaved(desktop, export)


if __name__ == "__main__":
    main()
