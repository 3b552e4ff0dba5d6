/** The 快处快赔 agreement as a .docx (the `docx` package, as the weekly report): its stored text, line by line. */
import { AlignmentType, Document, Packer, Paragraph, TextRun } from 'docx';

const BODY_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '宋体', cs: 'Times New Roman' };
const HEAD_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '黑体', cs: 'Times New Roman' };

export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** `lines[0]` is the title; `confirmations` are printed under the text (who confirmed, when). */
export async function agreementDocx(lines: string[], confirmations: string[]): Promise<Buffer> {
  const [title, ...rest] = lines;
  const para = (text: string, head = false) =>
    new Paragraph({
      alignment: head ? AlignmentType.CENTER : AlignmentType.LEFT,
      spacing: { after: 160, line: 360 },
      children: [new TextRun({ text, bold: head, size: head ? 36 : 24, font: head ? HEAD_FONT : BODY_FONT })],
    });
  const doc = new Document({
    creator: '守望 Shouwang',
    title,
    sections: [{ children: [para(title, true), ...rest.map((l) => para(l)), ...confirmations.map((c) => para(c))] }],
  });
  return Packer.toBuffer(doc);
}
