import { Badge, Box, Group, Select, Stack, Text, UnstyledButton } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { RECORD_TYPES, type RecordType } from '../../../shared/records/schema/index.ts';
import { useApp } from '../app/store-context.tsx';
import { RecordTypeIcon, recordTypeLabel } from '../records/index.ts';
import { createVisibleRecords } from '../state/visible-records.ts';
import type { SortOrder } from '../state/types.ts';

const ROW_HEIGHT = 52;

const TYPE_OPTIONS = [
  { value: 'all', label: 'All types' },
  ...RECORD_TYPES.map((type) => ({ value: type, label: recordTypeLabel(type) })),
];
const SORT_OPTIONS = [
  { value: 'title', label: 'Title A–Z' },
  { value: 'updated', label: 'Recently changed' },
];

/** The record list: virtualized, filtered by folder, type and the search box, sorted. */
export function RecordList() {
  const records = useApp((s) => s.records);
  const folders = useApp((s) => s.folders);
  const client = useApp((s) => s.client);
  const query = useApp((s) => s.query);
  const typeFilter = useApp((s) => s.typeFilter);
  const sort = useApp((s) => s.sort);
  const folderId = useApp((s) => s.selectedFolderId);
  const selectedId = useApp((s) => s.selectedRecordId);
  const selectRecord = useApp((s) => s.selectRecord);
  const setTypeFilter = useApp((s) => s.setTypeFilter);
  const setSort = useApp((s) => s.setSort);
  const progress = useApp((s) => s.syncProgress);

  // One memoised pipeline per list: the sort survives keystrokes (issue #4).
  const [visibleRecords] = useState(() => createVisibleRecords());
  const list = useMemo(
    () =>
      visibleRecords(records, folders, client?.data.index ?? null, {
        query,
        typeFilter,
        sort,
        folderId,
      }),
    [visibleRecords, records, folders, client, query, typeFilter, sort, folderId],
  );
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: list.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
  });

  function onKeyDown(event: KeyboardEvent) {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    event.preventDefault();
    const at = list.findIndex((r) => r.id === selectedId);
    const next = Math.max(0, Math.min(list.length - 1, at + (event.key === 'ArrowDown' ? 1 : -1)));
    const entry = list[next];
    if (entry) {
      selectRecord(entry.id);
      virtualizer.scrollToIndex(next);
    }
  }

  return (
    <Stack gap="xs" h="100%">
      <Group gap="xs" grow>
        <Select
          label="Type"
          data={TYPE_OPTIONS}
          value={typeFilter}
          onChange={(value) => setTypeFilter((value ?? 'all') as RecordType | 'all')}
          allowDeselect={false}
          size="xs"
        />
        <Select
          label="Sort"
          data={SORT_OPTIONS}
          value={sort}
          onChange={(value) => setSort((value ?? 'title') as SortOrder)}
          allowDeselect={false}
          size="xs"
        />
      </Group>
      <Text size="xs" c="dimmed" aria-live="polite">
        {progress !== null && progress.total > 0
          ? `Decrypting ${progress.done} of ${progress.total} records…`
          : `${list.length} ${list.length === 1 ? 'record' : 'records'}`}
      </Text>
      {list.length === 0 ? (
        <Text size="sm" c="dimmed" p="sm">
          {records.length === 0
            ? folders.length === 0
              ? 'Your vault is empty. ' +
                'Create a folder, then add your first record with “New record”.'
              : 'No records here yet. Add one with “New record”.'
            : 'Nothing matches. Clear the search or choose another folder or type.'}
        </Text>
      ) : (
        <Box
          ref={scroller}
          role="listbox"
          aria-label="Records"
          tabIndex={0}
          onKeyDown={onKeyDown}
          style={{ flex: 1, overflow: 'auto', minHeight: 0 }}
        >
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((item) => {
              const entry = list[item.index];
              if (!entry) return null;
              const active = entry.id === selectedId;
              return (
                <UnstyledButton
                  key={entry.id}
                  role="option"
                  aria-selected={active}
                  onClick={() => selectRecord(entry.id)}
                  tabIndex={-1}
                  style={{
                    position: 'absolute',
                    top: 0,
                    left: 0,
                    width: '100%',
                    height: ROW_HEIGHT,
                    transform: `translateY(${item.start}px)`,
                    padding: '6px 10px',
                    borderRadius: 'var(--mantine-radius-sm)',
                    background: active ? 'var(--mantine-primary-color-light)' : undefined,
                  }}
                >
                  <Group gap="sm" wrap="nowrap">
                    <RecordTypeIcon type={entry.summary.type} />
                    <Box style={{ minWidth: 0, flex: 1 }}>
                      <Text size="sm" fw={500} truncate>
                        {entry.summary.title}
                      </Text>
                      <Text size="xs" c="dimmed" truncate>
                        {entry.summary.subtitle}
                      </Text>
                    </Box>
                    {entry.summary.favorite && (
                      <Badge size="xs" variant="light">
                        Favourite
                      </Badge>
                    )}
                  </Group>
                </UnstyledButton>
              );
            })}
          </div>
        </Box>
      )}
    </Stack>
  );
}
