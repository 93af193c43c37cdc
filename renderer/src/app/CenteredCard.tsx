import { Center, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** The frame of the sign-in, password and unlock screens. */
export function CenteredCard(props: {
  readonly title: string;
  readonly subtitle?: string;
  readonly children: ReactNode;
}) {
  return (
    <Center mih="100vh" p="md">
      <Paper withBorder shadow="sm" p="xl" w={440} maw="100%">
        <Stack gap="md">
          <Stack gap={4}>
            <Text c="dimmed" size="xs" fw={700} tt="uppercase" lts={1}>
              Coffer
            </Text>
            <Title order={1} size="h2">
              {props.title}
            </Title>
            {props.subtitle !== undefined && <Text c="dimmed">{props.subtitle}</Text>}
          </Stack>
          {props.children}
        </Stack>
      </Paper>
    </Center>
  );
}
