"""Build the shipped instrument templates in the GB/T 9704-2012 layout.

Run from the repository root, after changing a text or the layout below:

    .venv/bin/python scripts/make_instrument_templates.py [--app enforcement]

It writes fazhi/<app>/instruments/*.docx for disclosure, enforcement and permits
(or, given a folder, <folder>/<app>/instruments/). A bureau that wants other wording
copies a file into its FAZHI_TEMPLATE_DIRS and edits it in Word or WPS; the
``{{name}}`` placeholders are filled by fazhi.core.docx_render.

A paragraph that only some cases need starts with a switch placeholder, e.g.
``{{when_hearing_right}}``: the service passes ``[""]`` to keep the paragraph (once,
the switch itself rendering as nothing) or ``[]`` to drop it, so the wording stays in
the template where a bureau can edit it.

The page (GB/T 9704-2012: A4, margins 37/35/28/26 mm, 22 lines of 28 characters of
3号 仿宋, page numbers) is fazhi.core.gbt9704's, the same the annual report uses, so
LibreOffice, WPS and Word all set 28 characters a line. Here: title in 2号 (22 pt)
小标宋; paragraphs indented two characters; forms' cells in 4号.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from fazhi.core import gbt9704
from fazhi.core.gbt9704 import BODY_PT, FANGSONG, TITLE_PT, XIAOBIAOSONG

PACKAGE = Path(__file__).resolve().parent.parent / "fazhi"
APPS = ("disclosure", "enforcement", "permits")

INTRO = ("本机关于{{received_date}}收到您提出的政府信息公开申请（申请编号："
         "{{request_number}}），申请公开的内容为：“{{request_content}}”。")
CONTACT = "联系人及电话：{{contact}}。"
OGI = "《中华人民共和国政府信息公开条例》"

TEMPLATES: dict[str, tuple[str, str, list[str]]] = {
    # file: (title, addressee placeholder, body paragraphs)
    "correction_notice.docx": ("政府信息公开申请补正告知书", "{{requester_name}}", [
        INTRO,
        "经审查，您的申请内容不明确，本机关无法据此确定您所需要的政府信息。根据"
        f"{OGI}第三十条的规定，现一次性告知您对下列事项作出补正：",
        "{{items}}",
        "请您于{{correction_deadline}}前（含当日）向本机关提交补正后的申请。"
        "答复期限自本机关收到补正的申请之日起计算。您无正当理由逾期不补正的，"
        "视为放弃申请，本机关不再处理该政府信息公开申请。",
        CONTACT,
        "特此告知。",
    ]),
    "extension_notice.docx": ("政府信息公开申请延期答复告知书", "{{requester_name}}", [
        INTRO,
        "经审查，本机关不能在法定期限内作出答复，理由是：{{extension_reason}}",
        f"根据{OGI}第三十三条第二款的规定，经本机关政府信息公开工作机构负责人同意，"
        "答复期限延长{{extension_days}}个工作日，本机关将于{{new_due_date}}前"
        "（含当日）作出答复。",
        CONTACT,
        "特此告知。",
    ]),
    "third_party_consultation.docx": ("政府信息公开第三方意见征询函",
                                      "{{third_party_name}}", [
        "本机关于{{received_date}}收到一份政府信息公开申请（申请编号："
        "{{request_number}}），申请公开的政府信息为：“{{request_content}}”。",
        "经审查，公开该政府信息可能损害您（单位）的合法权益，或者该政府信息由"
        f"您单位与本机关共同制作。根据{OGI}第三十二条、第三十四条的规定，"
        "现书面征求您（单位）的意见。",
        "请您（单位）自收到本函之日起15个工作日内（截止日期：{{consultation_due}}）"
        "以书面形式提出是否同意公开的意见；不同意公开的，请说明理由并提供相关材料。",
        "第三方逾期未提出意见的，由本机关依照该条例的规定决定是否公开；第三方不同意"
        "公开且有合理理由的，本机关不予公开，但本机关认为不公开可能对公共利益造成"
        "重大影响的，可以决定予以公开，并将决定公开的政府信息内容和理由书面告知"
        "第三方。被征求意见的行政机关逾期未提出意见的，视为同意公开。",
        CONTACT,
        "请予函复。",
    ]),
    "reply.docx": ("政府信息公开申请答复书", "{{requester_name}}", [
        INTRO,
        f"本机关依照{OGI}第三十六条、第三十七条的规定，答复如下：",
        "答复类型：{{reply_type_label}}。",
        "{{reply_body}}",
        "不予公开的内容及理由：",
        "{{withheld_reasons}}",
        "如您对本答复不服，可以自收到本答复书之日起{{reconsideration_period}}内向"
        "{{reconsideration_body}}申请行政复议，也可以自收到本答复书之日起"
        "{{litigation_period}}内依法向人民法院提起行政诉讼。"
        "其中，对本机关不予公开政府信息不服的，依照《中华人民共和国行政复议法》"
        "第二十三条的规定，应当先申请行政复议，对行政复议决定不服的，可以再依法"
        "向人民法院提起行政诉讼。",
        CONTACT,
        "特此答复。",
    ]),
}


# --- enforcement (行政执法) --------------------------------------------------
# Plain wording of our own. Articles: 行政处罚法 (2021), 自然资源行政处罚办法 (2024),
# 行政复议法 (2023) Art. 20, 行政诉讼法 Art. 46, 行政强制法 Art. 53.

APL = "《中华人民共和国行政处罚法》"
NRPM = "《自然资源行政处罚办法》"
YOU = "你（单位）"
CASE_INTRO = (f"本机关于{{{{filed_on}}}}对{YOU}涉嫌{{{{violation_label}}}}一案立案调查"
              "（案件编号：{{case_number}}）。")
FACTS = ("经调查查明：{{facts_summary}}。违法地点位于{{location}}，"
         "涉及面积{{area_text}}。")
PARTY_HEAD = [
    "当事人：{{party_name}}（{{party_kind}}）",
    "{{party_id_label}}：{{party_id_number}}",
    "住址（住所）：{{party_address}}",
]
ENF_CONTACT = "联系人及电话：{{contact}}。"

# file: (title, addressee placeholder, lines above the body, body paragraphs, date)
ENFORCEMENT_LETTERS: dict[str, tuple[str, str, list[str], list[str], str]] = {
    "stop_order.docx": ("责令停止违法行为通知书", "{{party_name}}", [], [
        f"经查，{YOU}涉嫌{{{{violation_label}}}}，案件编号为{{{{case_number}}}}。"
        "违法地点位于{{location}}，涉及面积{{area_text}}。主要情况：{{facts_summary}}。",
        f"{YOU}的上述行为涉嫌违反{{{{violated_basis}}}}的规定。根据{{{{stop_basis}}}}"
        f"的规定，本机关责令{YOU}自收到本通知书之日起立即停止上述违法行为，"
        "不得继续施工、开采或者扩大占用范围，并听候处理。",
        f"{YOU}拒不停止违法行为的，本机关将把拒不停止的情况作为从重处罚情节"
        "依法处理，并依法采取其他相应措施。",
        ENF_CONTACT,
        "特此通知。",
    ], "{{date_cn}}"),
    "penalty_notice.docx": ("行政处罚告知书", "{{party_name}}", [], [
        CASE_INTRO,
        FACTS,
        f"本机关认为，{YOU}的上述行为违反了{{{{violated_basis}}}}的规定，构成"
        "{{violation_label}}。依据{{penalty_basis}}的规定，本机关拟对"
        f"{YOU}作出如下行政处罚：",
        "{{proposed_items}}",
        f"根据{APL}第四十四条、第四十五条和{NRPM}第三十三条的规定，{YOU}"
        "有权进行陈述和申辩。请于收到本告知书之日起五个工作日内向本机关提出陈述、"
        "申辩意见，并可以提交证据；逾期未提出的，视为放弃陈述和申辩的权利。本机关"
        f"将充分听取{YOU}的意见，对提出的事实、理由和证据进行复核，不因{YOU}"
        "陈述、申辩而给予更重的处罚。",
        "{{when_hearing_right}}"
        f"拟作出的行政处罚属于{APL}第六十三条规定的情形。根据{APL}第六十三条、"
        f"第六十四条和{NRPM}第三十四条的规定，{YOU}有权要求举行听证。要求听证的，"
        "请于收到本告知书之日起五个工作日内向本机关提出；逾期未提出的，视为放弃听证"
        "权利。",
        ENF_CONTACT,
        "特此告知。",
    ], "{{date_cn}}"),
    "hearing_notice.docx": ("行政处罚听证告知书", "{{party_name}}", [], [
        f"本机关于{{{{notice_served_on}}}}向{YOU}送达了{{{{notice_title}}}}，"
        f"拟对{YOU}涉嫌{{{{violation_label}}}}一案（案件编号：{{{{case_number}}}}）"
        "作出如下行政处罚：",
        "{{proposed_items}}",
        "{{hearing_request}}"
        f"根据{APL}第六十三条、第六十四条和{NRPM}第三十四条的规定，本机关定于"
        "{{hearing_at}}在{{hearing_place}}举行听证。本告知书于举行听证的七个工作日"
        f"前送达（{APL}第六十四条第二项、第八十五条）。",
        "听证主持人：{{hearing_chair}}。听证由本机关指定的非本案调查人员主持；"
        f"{YOU}认为主持人与本案有直接利害关系的，有权申请回避。",
        "除涉及国家秘密、商业秘密或者个人隐私依法予以保密外，听证公开举行。"
        f"{YOU}可以亲自参加听证，也可以委托一至二人代理；委托代理人的，请于听证"
        "前提交授权委托书。",
        f"{YOU}及代理人无正当理由拒不出席听证或者未经许可中途退出听证的，视为"
        "放弃听证权利，本机关将终止听证。",
        ENF_CONTACT,
        "特此告知。",
    ], "{{date_cn}}"),
    "decision.docx": ("行政处罚决定书", "", PARTY_HEAD, [
        "当事人涉嫌{{violation_label}}一案，本机关于{{filed_on}}立案调查"
        "（案件编号：{{case_number}}）。",
        "经调查查明：{{facts_summary}}。违法地点位于{{location}}，"
        "涉及面积{{area_text}}。",
        "以上事实有下列证据证明：",
        "{{evidence}}",
        "{{procedure}}",
        "本机关认为，当事人的上述行为违反了{{violated_basis}}的规定，构成"
        "{{violation_label}}。依据{{penalty_basis}}的规定，本机关决定：",
        "{{decided_items}}",
        "{{when_fine}}当事人应当自收到本决定书之日起{{payment_period}}内，到指定的"
        "银行或者通过电子支付系统缴纳罚款{{payment_account}}。到期不缴纳罚款的，本机关"
        "可以每日按罚款数额的{{surcharge_rate}}加处罚款，加处罚款的数额不超出罚款的"
        f"数额（{APL}第六十七条、第七十二条）。",
        "{{when_measures}}上述其他处理决定，当事人应当于{{measures_deadline}}"
        "履行完毕。",
        "当事人如不服本决定，可以自收到本决定书之日起{{reconsideration_period}}内向"
        "{{reconsideration_body}}申请行政复议，{{litigation_clause}}。"
        "申请行政复议或者提起行政诉讼的，本决定不停止"
        f"执行，法律另有规定的除外（{APL}第七十三条）。",
        "当事人在法定期限内不申请行政复议或者提起行政诉讼，又不履行本决定的，"
        "本机关将依法申请人民法院强制执行（《中华人民共和国行政强制法》第五十三条）。",
    ], "{{decided_on}}"),
    # 行政强制法 Art. 35 (what a demand states: the period, the way, a sum of money
    # and how to pay it, the rights to state and defend), Art. 54 (the demand before
    # the court), Art. 45 (the surcharge's standard is told).
    "demand_notice.docx": ("履行催告书", "{{party_name}}", [], [
        f"本机关于{{{{decided_on}}}}对{YOU}涉嫌{{{{violation_label}}}}一案（案件编号："
        f"{{{{case_number}}}}）作出{{{{decision_title}}}}，并于{{{{decision_served_on}}}}"
        f"送达{YOU}。决定内容如下：",
        "{{decided_items}}",
        f"{YOU}至今未履行（或者未全部履行）上述决定。根据《中华人民共和国行政强制法》"
        f"第三十五条、第五十四条的规定，现催告{YOU}自收到本催告书之日起"
        "{{demand_period}}内履行下列义务：",
        "{{duties}}",
        "{{when_money}}上述金钱给付义务截至{{as_of}}合计{{total_money}}。加处罚款自"
        "{{surcharge_from}}起每日按罚款数额的{{surcharge_rate}}计算至缴清之日，数额"
        f"不超出罚款的数额（{APL}第七十二条第一款第一项、《中华人民共和国行政强制法》"
        "第四十五条）。请到指定的银行或者通过电子支付系统缴纳{{payment_account}}，"
        "并将缴款凭证送交本机关。",
        f"根据《中华人民共和国行政强制法》第三十五条第四项、第三十六条的规定，{YOU}"
        "有权进行陈述和申辩，可以在上述期限内向本机关提出陈述、申辩意见。本机关将"
        f"充分听取并记录、复核；{YOU}提出的事实、理由或者证据成立的，本机关将予以采纳。",
        f"{YOU}逾期仍不履行的，本机关将依照《中华人民共和国行政强制法》第五十三条、"
        "第五十四条的规定，申请人民法院强制执行。",
        ENF_CONTACT,
        "特此催告。",
    ], "{{date_cn}}"),
    # 行政强制法 Art. 55: the application with the decision and its facts, reasons
    # and basis, the party's opinion and the demand, and what is to be enforced;
    # signed by the bureau's head, sealed and dated.
    "court_application.docx": ("强制执行申请书", "", [
        "申请人：{{org_name}}",
        "被申请人：{{party_name}}（{{party_kind}}）",
        "{{party_id_label}}：{{party_id_number}}",
        "住址（住所）：{{party_address}}",
    ], [
        "申请事项：请求依法强制执行本机关{{decision_title}}确定的下列义务：",
        "{{duties}}",
        "事实和理由：",
        "本机关于{{filed_on}}对被申请人涉嫌{{violation_label}}一案立案调查（案件编号："
        "{{case_number}}）。经调查查明：{{facts_summary}}。违法地点位于{{location}}，"
        "涉及面积{{area_text}}。被申请人的上述行为违反了{{violated_basis}}的规定，"
        "本机关依据{{penalty_basis}}的规定，于{{decided_on}}作出{{decision_title}}，"
        "于{{decision_served_on}}送达被申请人。",
        "{{remedy_text}}",
        "{{demand_text}}",
        "申请执行标的：{{target_text}}",
        "根据《中华人民共和国行政强制法》第五十三条、第五十四条、第五十五条和"
        f"{APL}第七十二条第一款第四项的规定，本机关在法定期限内（{{{{court_last_day}}}}"
        "前）向你院申请强制执行。",
        "附件：1. 行政处罚决定书及作出决定的事实、理由和依据的材料",
        "2. 当事人的意见及本机关催告情况的材料",
        "3. 申请强制执行标的情况的材料",
        "此致",
    ], "{{date_cn}}"),
    "transfer_letter.docx": ("案件移送函", "{{to_agency}}", [], [
        "本机关于{{received_on}}收到一条涉嫌违法线索（线索编号：{{lead_number}}，"
        "来源：{{lead_source}}）。线索反映的情况：{{lead_description}}。涉及地点："
        "{{location}}；涉嫌违法主体：{{suspect}}；涉嫌违法类型：{{violation_label}}。",
        "{{check_findings}}",
        "经审查，{{reason}}。该线索所涉事项不属于本机关管辖，现移送你单位依法处理。",
        "线索来源于群众举报的，举报人的姓名、联系方式等身份信息依法保密，"
        "不随本函移送；确需核实的，请与本机关联系。",
        "请你单位依法处理，并将处理结果函告本机关。",
        ENF_CONTACT,
    ], "{{date_cn}}"),
}

# Flush left after the body, and under the signature: the court an application is
# addressed to, and the head's signature the law asks for (行政强制法第五十五条).
ENFORCEMENT_CLOSINGS = {"court_application.docx": ["{{court}}"]}
ENFORCEMENT_FOOTS = {"court_application.docx": ["负责人（签名）："]}

# file: (title, rows of (label, value lines), notes below the table)
ENFORCEMENT_FORMS: dict[str, tuple[str, list[tuple[str, list[str]]], list[str]]] = {
    "filing_approval.docx": ("立案审批表", [
        ("案件编号", ["{{case_number}}"]),
        ("案由", ["涉嫌{{violation_label}}"]),
        ("案件来源", ["{{case_source}}"]),
        ("当事人", ["{{party_name}}（{{party_kind}}）"]),
        ("{{party_id_label}}", ["{{party_id_number}}"]),
        ("住址（住所）", ["{{party_address}}"]),
        ("违法地点", ["{{location}}"]),
        ("涉及面积及地类", ["{{area_text}}；{{land_class}}"]),
        ("简要案情", ["{{facts_summary}}"]),
        ("涉嫌违反的规定", ["{{violated_basis}}"]),
        ("承办人员（执法证号）", ["{{officers}}"]),
        ("承办人员意见", [
            "经初步核实，本案有明确的违法行为人，有违反自然资源管理法律法规的事实，"
            "依照自然资源管理法律法规应当追究法律责任，属于本机关管辖，且未超过"
            "追责时效，建议立案调查。",
            "呈批日期：{{requested_on}}",
        ]),
        ("负责人审批意见", ["{{approval_opinion}}",
                          "负责人：{{approver}}　日期：{{approved_on}}"]),
    ], [f"依据：{APL}第五十四条；{NRPM}第十六条。"]),
    "review_opinion.docx": ("法制审核意见书", [
        ("案件编号", ["{{case_number}}"]),
        ("当事人", ["{{party_name}}（{{party_kind}}）"]),
        ("案由", ["{{violation_label}}"]),
        ("承办人员（执法证号）", ["{{officers}}"]),
        ("送审日期", ["{{submitted_on}}"]),
        ("拟处理意见", ["{{proposed_text}}"]),
        ("是否属于重大执法决定", ["{{major_text}}"]),
        ("偏离裁量基准情况", ["{{departure_text}}"]),
        ("审核内容", [
            f"依照{APL}第五十八条和{NRPM}第三十二条，对执法主体与管辖、执法人员资格、"
            "案件事实和证据、适用法律依据、裁量基准运用、办案程序及文书进行了审核。"]),
        ("审核结论", ["{{review_result}}"]),
        ("书面审核意见", ["{{review_opinion}}"]),
        ("审核人员", ["{{reviewer}}　审核日期：{{reviewed_on}}"]),
    ], ["未经法制审核或者审核未通过的，不得作出重大行政处罚决定"
        f"（{APL}第五十八条）。"]),
    "service_receipt.docx": ("送达回证", [
        ("案件编号", ["{{case_number}}"]),
        ("送达文书名称及文号", ["{{document_title}}"]),
        ("受送达人", ["{{recipient}}"]),
        ("送达地点", ["{{service_place}}"]),
        ("送达方式", ["{{method}}"]),
        ("送达时间", ["{{served_on}}"]),
        ("受送达人签名或者盖章", ["", "　　　　年　　月　　日"]),
        ("代收人及代收理由", ["", "　　　　年　　月　　日"]),
        ("见证人（留置送达时）", ["", "　　　　年　　月　　日"]),
        ("送达人", ["{{officers}}"]),
        ("备注", ["{{note}}"]),
    ], [f"依据：{APL}第六十一条；《中华人民共和国民事诉讼法》有关送达的规定。"]),
    "closure_approval.docx": ("结案审批表", [
        ("案件编号", ["{{case_number}}"]),
        ("当事人", ["{{party_name}}（{{party_kind}}）"]),
        ("案由", ["{{violation_label}}"]),
        ("立案日期", ["{{filed_on}}"]),
        ("处理决定", ["{{decision_text}}"]),
        ("决定书送达日期", ["{{decision_served_on}}"]),
        ("执行情况", ["{{execution_text}}"]),
        ("结案理由", ["{{closure_ground}}"]),
        ("承办人员（执法证号）", ["{{officers}}"]),
        ("承办人员意见", ["本案已具备结案条件，建议结案。"]),
        ("负责人审批意见", ["{{approval_opinion}}",
                          "负责人：{{approver}}　日期：{{approved_on}}"]),
    ], [f"依据：{NRPM}第四十六条。"]),
    # The officer's proposal and the principal's sign-off, from the round
    # (fazhi/enforcement/rules/approvals.toml, enforcement.termination).
    "termination_approval.docx": ("终止调查审批表", [
        ("案件编号", ["{{case_number}}"]),
        ("当事人", ["{{party_name}}（{{party_kind}}）"]),
        ("案由", ["涉嫌{{violation_label}}"]),
        ("立案日期", ["{{filed_on}}"]),
        ("简要案情", ["{{facts_summary}}"]),
        ("承办人员（执法证号）", ["{{officers}}"]),
        ("承办人员意见", ["{{proposal_text}}",
                         "承办人：{{proposer}}　呈批日期：{{requested_on}}"]),
        ("负责人审批意见", ["{{approval_opinion}}",
                          "负责人：{{approver}}　日期：{{approved_on}}"]),
    ], [f"依据：{NRPM}第二十八条。"]),
    # The heads' collective discussion: what was put to them, the minutes and the
    # conclusion the principal signed (enforcement.collective_discussion).
    "discussion_record.docx": ("重大案件集体讨论记录", [
        ("案件编号", ["{{case_number}}"]),
        ("当事人", ["{{party_name}}（{{party_kind}}）"]),
        ("案由", ["{{violation_label}}"]),
        ("承办人员（执法证号）", ["{{officers}}"]),
        ("拟处理意见", ["{{proposed_text}}"]),
        ("法制审核意见", ["{{review_text}}"]),
        ("提请讨论", ["{{proposal_text}}",
                     "承办人：{{proposer}}　提请日期：{{requested_on}}"]),
        ("讨论纪要", ["{{minutes}}"]),
        ("讨论结论", ["{{approval_opinion}}",
                     "负责人：{{approver}}　日期：{{approved_on}}"]),
    ], [f"依据：{APL}第五十七条第二款；{NRPM}第三十一条第二款。"]),
}


# --- the page: fazhi.core.gbt9704, the annual report's technique --------------------


def add_style(doc, style_id: str, name: str, *, align, size=BODY_PT,
              east_asia=FANGSONG, indent=0, right_chars=0):
    """Add a paragraph style on Normal (3号 仿宋, condensed, on the line grid)."""
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.element.set(qn("w:styleId"), style_id)
    style.base_style = doc.styles["Normal"]
    style.quick_style = True
    gbt9704.fonts(style.element.get_or_add_rPr(), east_asia)
    style.font.size = Pt(size)
    style.paragraph_format.alignment = align
    ind = style.element.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), str(indent * 100))
    ind.set(qn("w:firstLine"), str(indent * BODY_PT * 20))
    if right_chars:
        gbt9704.indent_chars(style, right=right_chars)
    return style


def setup_styles(doc) -> dict:
    """The styles a bureau sees in Word's list: 公文标题, 发文字号, 主送, 落款."""
    gbt9704.default_font(doc)
    normal = doc.styles["Normal"].paragraph_format
    normal.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    gbt9704.indent_chars(doc.styles["Normal"], first=2)
    doc.settings.element.find(qn("w:themeFontLang")).set(qn("w:eastAsia"), "zh-CN")
    center, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
    return {
        "title": add_style(doc, "GwTitle", "公文标题", align=center, size=TITLE_PT,
                           east_asia=XIAOBIAOSONG),
        "number": add_style(doc, "GwDocNumber", "发文字号", align=center),
        "addressee": add_style(doc, "GwAddressee", "主送",
                               align=WD_ALIGN_PARAGRAPH.LEFT),
        # GB/T 9704 7.3.5.1: the date four characters in from the right, the
        # bureau's name above it.
        "signature": add_style(doc, "GwSignature", "落款", align=right, right_chars=4),
    }


# --- the instrument ----------------------------------------------------------------

TABLE_PT, TABLE_LINE_TWIPS = 14, 440  # 4号 in the form's cells, 22 pt lines
LABEL_W, VALUE_W = Mm(40), Mm(116)  # together the 156 mm type area


def new_document() -> tuple:
    doc = Document()
    gbt9704.page_setup(doc)
    return doc, setup_styles(doc)


def add_heading(doc, styles, title: str) -> None:
    doc.add_paragraph("{{org_name}}", style=styles["title"])
    doc.add_paragraph(title, style=styles["title"])
    doc.add_paragraph("{{doc_number}}", style=styles["number"])
    doc.add_paragraph("", style=styles["addressee"])


def add_signature(doc, styles, date: str = "{{date_cn}}") -> None:
    for _ in range(2):
        doc.add_paragraph("", style=styles["addressee"])
    doc.add_paragraph("{{org_name}}", style=styles["signature"])
    doc.add_paragraph(date, style=styles["signature"])


def finish(doc, title: str):
    props = doc.core_properties
    props.title, props.author, props.comments = title, "", ""
    props.last_modified_by, props.keywords = "", ""
    return doc


def build(title: str, addressee: str, body: list[str], *, head: list[str] = (),
          date: str = "{{date_cn}}", foot: list[str] = (), closing: list[str] = ()):
    """Build a letter: heading, addressee (or party lines), body, the lines flush
    left after it (the court an application goes to, after 此致), signature, and
    the lines under it (the signers of the decision)."""
    doc, styles = new_document()
    add_heading(doc, styles, title)
    for line in head:
        doc.add_paragraph(line, style=styles["addressee"])
    if addressee:
        doc.add_paragraph(f"{addressee}：", style=styles["addressee"])
    for text in body:
        doc.add_paragraph(text)
    for line in closing:
        doc.add_paragraph(line, style=styles["addressee"])
    add_signature(doc, styles, date)
    for line in foot:
        doc.add_paragraph(line)
    return finish(doc, title)


def table_style(doc):
    """4号 in the cells, off the line grid: a form's rows are as high as they need."""
    style = add_style(doc, "GwTableText", "表格文字", align=WD_ALIGN_PARAGRAPH.LEFT,
                      size=TABLE_PT)
    ppr = style.element.get_or_add_pPr()
    gbt9704.exact_lines(ppr, TABLE_LINE_TWIPS)
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    ppr.insert_element_before(snap, "w:spacing", "w:ind", "w:jc")
    return style


def build_form(title: str, rows: list[tuple[str, list[str]]], notes: list[str]):
    """Build a form (审批表, 送达回证): a two-column ruled table under the heading."""
    doc, styles = new_document()
    cell_style = table_style(doc)
    add_heading(doc, styles, title)
    table = doc.add_table(rows=len(rows), cols=2, style="Table Grid")
    table.autofit = False
    # The grid's widths too: LibreOffice sizes columns from them, not the cells'.
    table.columns[0].width, table.columns[1].width = LABEL_W, VALUE_W
    for row, (label, lines) in zip(table.rows, rows, strict=True):
        left, right = row.cells
        left.width, right.width = LABEL_W, VALUE_W
        left.paragraphs[0].style = cell_style
        left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        left.paragraphs[0].add_run(label)
        first, *rest = lines
        right.paragraphs[0].style = cell_style
        right.paragraphs[0].add_run(first)
        for line in rest:
            right.add_paragraph(line, style=cell_style)
    # Notes under the form (附注) are body text: 3号, 28 a line.
    for note in notes:
        doc.add_paragraph(note)
    return finish(doc, title)


# --- permits (审批窗口) ------------------------------------------------------
# Plain wording of our own. Articles: 行政许可法 (2019) Arts. 32, 38, 39, 44.
XK = "《中华人民共和国行政许可法》"

# The periods are rule data (fazhi/core/rules/remedies.toml): 六十日, 六个月.
REMEDIES = ("如不服本决定，可以自收到本决定书之日起{{reconsideration_period}}内向"
            "{{reconsideration_body}}申请行政复议，也可以自收到本决定书之日起"
            "{{litigation_period}}内依法向人民法院提起行政诉讼（行政复议法第二十条、"
            "行政诉讼法第四十六条）。")

PERMIT_LETTERS: dict[str, tuple[str, str, list[str]]] = {
    # The written proof of acceptance, with the bureau's seal and the date (Art. 32(2)).
    "acceptance_notice.docx": ("行政许可申请受理通知书", "{{applicant_name}}", [
        "你（单位）于{{received_date}}提出的{{permit_kind}}申请（收件编号："
        "{{application_number}}，项目：{{project_name}}），申请材料齐全、符合法定形式。"
        f"根据{XK}第三十二条第一款第五项的规定，本机关决定予以受理，受理日期为"
        "{{accepted_date}}。",
        "本机关将依照{{decision_basis}}的规定，自受理之日起{{decision_period}}内"
        "（{{decision_due}}前）作出行政许可决定，并承诺于{{promised_due}}前办结。"
        "依法需要听证、招标、拍卖、检验、检测、检疫、鉴定和专家评审的，所需时间不计算在"
        f"上述期限内，本机关将书面告知你（单位）（{XK}第四十五条）。",
        "特此通知。",
    ]),
    "completion_notice.docx": ("行政许可申请材料补正告知书", "{{applicant_name}}", [
        "本机关于{{received_date}}收到你（单位）提出的{{permit_kind}}申请（收件编号："
        "{{application_number}}，项目：{{project_name}}）。",
        f"经审查，申请材料不齐全或者不符合法定形式。根据{XK}第三十二条第一款第四项"
        "的规定，现一次性告知你（单位）需要补正的全部内容：",
        "{{items}}",
        "请补正后重新提交。本机关自收到全部补正材料之日起受理，办理期限自受理之日起计算。",
        "特此告知。",
    ]),
    # Art. 42(1): the period extended once, approved by the head of the bureau, the
    # applicant told the reason.
    "extension_notice.docx": ("延长行政许可决定期限告知书", "{{applicant_name}}", [
        "你（单位）于{{received_date}}提出的{{permit_kind}}申请（收件编号："
        "{{application_number}}，项目：{{project_name}}），本机关已于{{accepted_date}}"
        "受理，依照{{decision_basis}}的规定应当于{{old_due}}前作出行政许可决定。",
        "因{{extension_reason}}，本机关不能在上述期限内作出决定。根据"
        f"{XK}第四十二条第一款的规定，经本机关负责人批准，决定期限延长"
        "{{extension_period}}，本机关将于{{new_due}}前（含当日）作出行政许可决定。",
        "依法需要听证、招标、拍卖、检验、检测、检疫、鉴定和专家评审的，所需时间不计算在"
        f"上述期限内，本机关将书面告知你（单位）（{XK}第四十五条）。",
        "特此告知。",
    ]),
    "intake_refusal.docx": ("不予受理行政许可申请决定书", "{{applicant_name}}", [
        "本机关于{{received_date}}收到你（单位）提出的{{permit_kind}}申请（收件编号："
        "{{application_number}}，项目：{{project_name}}）。",
        "经审查，该申请依法不予受理，理由如下：",
        "{{reasons}}",
        REMEDIES,
        "特此决定。",
    ]),
    "refusal.docx": ("不予行政许可决定书", "{{applicant_name}}", [
        "你（单位）申请的{{permit_kind}}（收件编号：{{application_number}}，项目："
        "{{project_name}}，位置：{{location}}），本机关已依法受理并审查。",
        f"根据{XK}第三十八条第二款的规定，本机关决定不予行政许可，理由如下：",
        "{{reasons}}",
        REMEDIES,
        "特此决定。",
    ]),
}
# Under the signature of a decision: who undertook, reviewed and approved it, with
# the dates, from the complete round of sign-offs (one line; left out when none).
PERMIT_FOOTS = {"refusal.docx": ["{{signers}}"]}

PERMIT_FORMS: dict[str, tuple[str, list[tuple[str, list[str]]], list[str]]] = {
    "approval_form.docx": ("行政许可审批表", [
        ("审批表编号", ["{{doc_number}}"]),
        ("收件编号", ["{{application_number}}"]),
        ("许可事项", ["{{permit_kind}}"]),
        ("申请人", ["{{applicant_name}}"]),
        ("项目名称", ["{{project_name}}"]),
        ("项目位置", ["{{location}}"]),
        ("法律依据", ["{{basis}}"]),
        ("收件日期", ["{{received_date}}"]),
        ("受理日期", ["{{accepted_date}}"]),
        ("审批环节", ["{{route}}"]),
        # One line per sign-off: 承办：拟准予许可。… （张三，2026-03-02）
        ("审批意见", ["{{signoffs}}"]),
        ("审批结论", ["{{decision}}　决定日期：{{decided_date}}"]),
    ], ["审批程序依据：{{chain_basis}}。"]),
    "certificate.docx": ("{{permit_kind}}", [
        ("证书编号", ["{{doc_number}}"]),
        ("申请人", ["{{applicant_name}}"]),
        ("项目名称", ["{{project_name}}"]),
        ("项目位置", ["{{location}}"]),
        ("法律依据", ["{{basis}}"]),
        ("许可决定日期", ["{{decided_date}}"]),
        ("收件编号", ["{{application_number}}"]),
        ("发证机关", ["{{org_name}}（盖章）", "{{date_cn}}"]),
    ], [f"经审查，本项目符合有关法律法规的规定，依据{XK}第三十八条第一款、第三十九条，"
        "准予许可，特发此证。", "{{signers}}"]),
}


def templates() -> list[tuple[str, str, object]]:
    """Return (app, file name, document) for every shipped template."""
    return [
        *(("disclosure", name, build(title, to, body))
          for name, (title, to, body) in TEMPLATES.items()),
        *(("enforcement", name, build(title, to, body, head=head, date=date,
                                      closing=ENFORCEMENT_CLOSINGS.get(name, ()),
                                      foot=ENFORCEMENT_FOOTS.get(name, ())))
          for name, (title, to, head, body, date) in ENFORCEMENT_LETTERS.items()),
        *(("enforcement", name, build_form(title, rows, notes))
          for name, (title, rows, notes) in ENFORCEMENT_FORMS.items()),
        *(("permits", name, build(title, to, body, foot=PERMIT_FOOTS.get(name, ())))
          for name, (title, to, body) in PERMIT_LETTERS.items()),
        *(("permits", name, build_form(title, rows, notes))
          for name, (title, rows, notes) in PERMIT_FORMS.items()),
    ]


def main(root: Path = PACKAGE, apps: Sequence[str] = APPS) -> None:
    for app, name, doc in templates():
        if app in apps:
            path = root / app / "instruments" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            doc.save(path)
            print(path)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", nargs="?", type=Path, default=PACKAGE,
                        help="folder holding <app>/instruments/ (default: fazhi/)")
    parser.add_argument("--app", action="append", choices=APPS,
                        help="build only this app's templates (repeatable)")
    args = parser.parse_args()
    main(args.root, args.app or APPS)
