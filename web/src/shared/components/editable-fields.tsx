import type { FieldErrors, FieldValues, UseFormRegister } from "react-hook-form";
import type { JsonObject } from "@server/onboarding/onboarding-record";
import { TextAreaField, TextField } from "@/shared/components/text-field";
import { fieldError } from "@/shared/forms/server-errors";
import { isEditable, type EditableField } from "@/shared/forms/editable-fields";

interface EditableFieldsProps {
  /** Where the edited texts live in the form, e.g. `analysis` or `platforms.linkedin`. */
  readonly name: string;
  readonly source: JsonObject;
  readonly fields: readonly EditableField[];
  readonly register: UseFormRegister<FieldValues>;
  readonly errors: FieldErrors;
}

/** The editable fields of a generated result, as labelled inputs (lists as text areas, one item per line). */
export function EditableFields({ name, source, fields, register, errors }: EditableFieldsProps) {
  return fields
    .filter((field) => isEditable(source, field))
    .map((field) => {
      const path = `${name}.${field.path}`;
      const error = fieldError(errors, path);
      if (field.list === true) return <TextAreaField key={path} label={field.label} hint="One per line" rows={3} error={error} {...register(path)} />;
      if (field.multiline === true) return <TextAreaField key={path} label={field.label} rows={2} error={error} {...register(path)} />;
      return <TextField key={path} label={field.label} error={error} {...register(path)} />;
    });
}
