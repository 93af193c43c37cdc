import { Modal, NumberInput, SegmentedControl, Stack, Text } from '@mantine/core';
import { THEMES } from '../../../shared/ipc/settings.ts';
import { useApp } from '../app/store-context.tsx';
import { digitsOf } from '../app/text-limits.ts';
import { ServerSetting } from '../settings/ServerSetting.tsx';

export function SettingsDialog({ onClose }: { readonly onClose: () => void }) {
  const settings = useApp((s) => s.settings);
  const update = useApp((s) => s.updateSettings);
  return (
    <Modal opened onClose={onClose} title="Settings" centered>
      <Stack gap="md">
        <ServerSetting />
        <NumberInput
          label="Lock after this many idle minutes"
          value={settings.autoLockMinutes}
          min={1}
          max={1440}
          maxLength={digitsOf(1440)}
          allowDecimal={false}
          onChange={(value) => {
            if (typeof value === 'number' && value >= 1 && value <= 1440) {
              update({ autoLockMinutes: value });
            }
          }}
        />
        <NumberInput
          label="Clear copied secrets after (seconds)"
          value={settings.clipboardClearSeconds}
          min={5}
          max={600}
          maxLength={digitsOf(600)}
          allowDecimal={false}
          onChange={(value) => {
            if (typeof value === 'number' && value >= 5 && value <= 600) {
              update({ clipboardClearSeconds: value });
            }
          }}
        />
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            Theme
          </Text>
          <SegmentedControl
            aria-label="Theme"
            data={THEMES.map((t) => ({ value: t, label: t[0]?.toUpperCase() + t.slice(1) }))}
            value={settings.theme}
            onChange={(value) => update({ theme: value as (typeof THEMES)[number] })}
          />
        </Stack>
      </Stack>
    </Modal>
  );
}
