/** A product photo stand-in: an SVG tile with the title, so screenshots show which card is which. */
export function productImageSvg(title: string, hue: number): string {
  const text = title.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="800" viewBox="0 0 800 800">
<rect width="800" height="800" fill="hsl(${hue} 45% 82%)"/>
<circle cx="400" cy="340" r="170" fill="hsl(${hue} 40% 62%)"/>
<text x="400" y="660" font-family="sans-serif" font-size="56" text-anchor="middle" fill="#222">${text}</text>
</svg>`;
}
