import { Anchor, Code, List, Stack, Text, Title } from '@mantine/core';
import { useMemo } from 'react';
import { parseMarkdown, type MarkdownInline } from './safe-markdown.ts';

function Inline({ nodes }: { nodes: MarkdownInline[] }) {
  return nodes.map((node, index) => {
    switch (node.type) {
      case 'text':
        return <span key={index}>{node.text}</span>;
      case 'code':
        return <Code key={index}>{node.text}</Code>;
      case 'strong':
        return (
          <strong key={index}>
            <Inline nodes={node.children} />
          </strong>
        );
      case 'em':
        return (
          <em key={index}>
            <Inline nodes={node.children} />
          </em>
        );
      case 'link':
        return (
          <Anchor key={index} href={node.href} target="_blank" rel="noopener noreferrer nofollow">
            <Inline nodes={node.children} />
          </Anchor>
        );
    }
  });
}

/** Render policy Markdown as React elements: no HTML passes through, links are http(s)/mailto only. */
export function MarkdownView({ source }: { source: string }) {
  const blocks = useMemo(() => parseMarkdown(source), [source]);
  return (
    <Stack gap="sm">
      {blocks.map((block, index) => {
        switch (block.type) {
          case 'heading':
            // The page owns the level-one heading; policy headings sit below it.
            return (
              <Title key={index} order={Math.min(block.level + 1, 5) as 2 | 3 | 4 | 5}>
                <Inline nodes={block.children} />
              </Title>
            );
          case 'paragraph':
            return (
              <Text key={index}>
                <Inline nodes={block.children} />
              </Text>
            );
          case 'list':
            return (
              <List key={index} type={block.ordered ? 'ordered' : 'unordered'} withPadding>
                {block.items.map((item, i) => (
                  <List.Item key={i}>
                    <Inline nodes={item} />
                  </List.Item>
                ))}
              </List>
            );
          case 'code':
            return (
              <Code key={index} block>
                {block.text}
              </Code>
            );
        }
      })}
    </Stack>
  );
}
