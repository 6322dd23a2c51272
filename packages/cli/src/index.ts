export * from '@quorate/core';
