// XEP-0004: Data Forms — https://xmpp.org/extensions/xep-0004.html
// Namespace: jabber:x:data. Not a module with behaviour of its own: the parser and builders that
// search (XEP-0055), registration (XEP-0077) and others share. The plain types live in
// shared/forms.ts so the renderer can draw any form generically.
export { DATA_FORMS_NS, XDATA_VALIDATE_NS, parseDataForm, parseField, findDataForm } from './parse';
export { buildDataForm, buildSubmit, buildCancel, FormInvalidError } from './build';
export type { DataForm, FormField, FormFieldType, FormOption, FormType, FormValues, FormProblem } from '../../../../shared/forms';
export { validateForm, initialValues, formTypeOf } from '../../../../shared/forms';
