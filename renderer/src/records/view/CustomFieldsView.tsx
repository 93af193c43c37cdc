import { Title } from '@mantine/core';
import type { CustomField } from '../../../../shared/records/schema/index.ts';
import {
  FieldList,
  LinkField,
  PlainField,
  SecretField,
  type CopyHandler,
  type OpenLinkHandler,
} from './fields.tsx';

interface CustomFieldsViewProps {
  readonly fields: readonly CustomField[];
  readonly onCopy: CopyHandler;
  readonly onOpenLink: OpenLinkHandler | undefined;
}

function FieldView({
  field,
  onCopy,
  onOpenLink,
}: { readonly field: CustomField } & Omit<CustomFieldsViewProps, 'fields'>) {
  switch (field.kind) {
    case 'hidden':
      return <SecretField label={field.name} value={field.value} onCopy={onCopy} />;
    case 'boolean':
      return <PlainField label={field.name} value={field.value ? 'Yes' : 'No'} />;
    case 'url':
      return (
        <LinkField label={field.name} value={field.value} onCopy={onCopy} onOpenLink={onOpenLink} />
      );
    case 'text':
      return <PlainField label={field.name} value={field.value} onCopy={onCopy} multiline />;
    case 'email':
    case 'date':
      return <PlainField label={field.name} value={field.value} onCopy={onCopy} />;
  }
}

export function CustomFieldsView({ fields, onCopy, onOpenLink }: CustomFieldsViewProps) {
  if (fields.length === 0) return null;
  return (
    <section aria-label="Custom fields">
      <Title order={3} size="h5" mb="xs">
        Custom fields
      </Title>
      <FieldList>
        {fields.map((field, index) => (
          <FieldView key={index} field={field} onCopy={onCopy} onOpenLink={onOpenLink} />
        ))}
      </FieldList>
    </section>
  );
}
