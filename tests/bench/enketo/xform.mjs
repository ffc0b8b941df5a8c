// Turns a Tongxing form definition (core's FormDefinition as JSON, from
// `cargo run -p tongxing-core --example home_visit_form`) into an ODK XForm of the same
// questions, for the benchmark's peer: the same sections as groups, the same fields with
// their Chinese wording, choices, required marks, show-ifs as `relevant` and the length,
// range and date rules as `constraint`s. What XForms has no single control for is said where
// it is made: a photo slot becomes one image upload (Enketo takes one file per question), a
// phone or identity number a text with a pattern.

const XFORMS = 'xmlns="http://www.w3.org/2002/xforms" xmlns:h="http://www.w3.org/1999/xhtml" xmlns:jr="http://openrosa.org/javarosa" xmlns:orx="http://openrosa.org/xforms"';

const escape = (text) => String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const quote = (code) => `'${String(code).replace(/'/g, "")}'`;

/** The form's XForm, as text. */
export function xformOf(form) {
  const paths = new Map();
  for (const section of form.sections) for (const field of section.fields) paths.set(field.id, `/data/${section.id}/${field.id}`);
  const path = (id) => {
    const found = paths.get(id);
    if (!found) throw new Error(`a condition reads "${id}", which the form does not have`);
    return found;
  };
  const kinds = new Map(form.sections.flatMap((s) => s.fields.map((f) => [f.id, f.kind.type])));

  /** A show-if as an XPath expression. */
  const condition = (c) => {
    if (c.equals) {
      const { field, value } = c.equals;
      const code = typeof value === "boolean" ? (value ? "yes" : "no") : value;
      return `${path(field)} = ${quote(code)}`;
    }
    if (c.includes) return `selected(${path(c.includes.field)}, ${quote(c.includes.code)})`;
    if (c.answered) return `string-length(${path(c.answered.field)}) > 0`;
    if (c.not) return `not(${condition(c.not)})`;
    if (c.all) return c.all.length === 0 ? "true()" : `(${c.all.map(condition).join(" and ")})`;
    if (c.any) return c.any.length === 0 ? "false()" : `(${c.any.map(condition).join(" or ")})`;
    throw new Error(`a condition the XForm writer does not know: ${JSON.stringify(c)}`);
  };

  /** The field's type and its rules as one constraint expression (or none). */
  const rules = (field) => {
    const all = [];
    const kind = field.kind;
    let type = "string";
    switch (kind.type) {
      case "text":
      case "long_text":
        all.push(`string-length(.) <= ${kind.max_chars}`);
        break;
      case "number":
        type = kind.integer ? "int" : "decimal";
        if (kind.min != null) all.push(`. >= ${kind.min}`);
        if (kind.max != null) all.push(`. <= ${kind.max}`);
        break;
      case "date":
        type = "date";
        if (kind.not_in_future) all.push(". <= today()");
        break;
      case "single_choice":
      case "yes_no":
        type = "select1";
        break;
      case "multiple_choice":
        type = "select";
        if (kind.min != null) all.push(`count-selected(.) >= ${kind.min}`);
        if (kind.max != null) all.push(`count-selected(.) <= ${kind.max}`);
        break;
      case "phone":
        all.push("regex(., '^(1[3-9][0-9]{9}|0[0-9]{2,3}-?[0-9]{7,8})$')");
        break;
      case "id_number":
        all.push("regex(., '^[0-9]{17}[0-9Xx]$')");
        break;
      case "photo_slot":
        type = "binary";
        break;
      default:
        throw new Error(`a field kind the XForm writer does not know: ${kind.type}`);
    }
    for (const { type: rule, ...c } of field.constraints ?? []) {
      if (rule === "min_chars") all.push(`string-length(.) >= ${c.min}`);
      else if (rule === "max_chars") all.push(`string-length(.) <= ${c.max}`);
      else if (rule === "number_range") {
        if (c.min != null) all.push(`. >= ${c.min}`);
        if (c.max != null) all.push(`. <= ${c.max}`);
      } else if (rule === "date_not_before") all.push(`decimal-date-time(.) >= decimal-date-time(today()) + ${c.days_from_today}`);
      else if (rule === "date_not_after") all.push(`decimal-date-time(.) <= decimal-date-time(today()) + ${c.days_from_today}`);
      else throw new Error(`a constraint the XForm writer does not know: ${rule}`);
    }
    return { type, constraint: all.length ? all.map((r) => `(${r})`).join(" and ") : null };
  };

  const instance = [];
  const binds = [];
  const body = [];
  for (const section of form.sections) {
    instance.push(`<${section.id}>${section.fields.map((f) => `<${f.id}/>`).join("")}</${section.id}>`);
    body.push(`<group ref="/data/${section.id}"><label>${escape(section.title.zh)}</label>`);
    for (const field of section.fields) {
      const { type, constraint } = rules(field);
      const bind = [`nodeset="${path(field.id)}"`, `type="${type === "select1" || type === "select" ? "string" : type}"`];
      if (field.required) bind.push('required="true()"');
      if (field.show_if) bind.push(`relevant="${escape(condition(field.show_if))}"`);
      if (constraint) bind.push(`constraint="${escape(constraint)}"`);
      binds.push(`<bind ${bind.join(" ")}/>`);
      const label = `<label>${escape(field.label.zh)}</label>${field.hint ? `<hint>${escape(field.hint.zh)}</hint>` : ""}`;
      const ref = `ref="${path(field.id)}"`;
      const items = (choices) => choices.map((c) => `<item><label>${escape(c.label.zh)}</label><value>${escape(c.code)}</value></item>`).join("");
      if (field.kind.type === "yes_no") {
        body.push(`<select1 ${ref}>${label}${items([{ code: "yes", label: { zh: "是" } }, { code: "no", label: { zh: "否" } }])}</select1>`);
      } else if (type === "select1") body.push(`<select1 ${ref}>${label}${items(field.kind.choices)}</select1>`);
      else if (type === "select") body.push(`<select ${ref}>${label}${items(field.kind.choices)}</select>`);
      else if (type === "binary") body.push(`<upload ${ref} mediatype="image/*">${label}</upload>`);
      else if (field.kind.type === "long_text") body.push(`<input ${ref} appearance="multiline">${label}</input>`);
      else body.push(`<input ${ref}>${label}</input>`);
    }
    body.push("</group>");
  }
  if (kinds.size === 0) throw new Error("the form has no fields");
  return `<?xml version="1.0" encoding="utf-8"?>
<h:html ${XFORMS}>
<h:head>
<h:title>${escape(form.title.zh)}</h:title>
<model>
<instance><data id="${escape(form.id)}" version="${form.version}">${instance.join("")}<meta><instanceID/></meta></data></instance>
${binds.join("\n")}
<bind nodeset="/data/meta/instanceID" type="string" readonly="true()" jr:preload="uid"/>
</model>
</h:head>
<h:body>
${body.join("\n")}
</h:body>
</h:html>
`;
}
